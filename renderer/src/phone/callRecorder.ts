// The evidence recording: both sides of the call mixed through WebAudio into one MediaRecorder,
// Opus in WebM at a speech bitrate, one chunk a second. The chunks go to main in order
// (chunkUploader); this module only produces them.

export const RECORDING_MIME = 'audio/webm;codecs=opus';
export const RECORDING_BITS_PER_SECOND = 32_000;
export const RECORDING_TIMESLICE_MS = 1000;

/** The microphone for calls: no automatic gain (it clips a mixed recording), echo cancelled. */
export function microphoneConstraints(deviceId: string): MediaTrackConstraints {
  return {
    ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
    autoGainControl: false,
    echoCancellation: true,
    noiseSuppression: true,
    channelCount: 1,
  };
}

export interface CallRecorderOptions {
  local: MediaStream;
  remote: MediaStream;
  onChunk(data: Blob): void;
  bitsPerSecond?: number;
  timesliceMs?: number;
}

export interface CallRecorder {
  readonly mimeType: string;
  /** Milliseconds since the recording started: where a script step is marked. */
  elapsedMs(): number;
  /** Stops; resolves after the last chunk has been handed to onChunk. */
  stop(): Promise<void>;
}

export function startCallRecorder(options: CallRecorderOptions): CallRecorder {
  const context = new AudioContext();
  void context.resume();
  const mix = context.createMediaStreamDestination();
  // Chromium's WebAudio hears a remote WebRTC stream only while a media element plays it too.
  const sink = document.createElement('audio');
  sink.muted = true;
  sink.autoplay = true;
  sink.srcObject = options.remote;
  void sink.play().catch(() => undefined);
  const sources = [options.local, options.remote]
    .filter((stream) => stream.getAudioTracks().length > 0)
    .map((stream) => {
      const source = context.createMediaStreamSource(stream);
      source.connect(mix);
      return source;
    });

  const mimeType = MediaRecorder.isTypeSupported(RECORDING_MIME) ? RECORDING_MIME : 'audio/webm';
  const recorder = new MediaRecorder(mix.stream, {
    mimeType,
    audioBitsPerSecond: options.bitsPerSecond ?? RECORDING_BITS_PER_SECOND,
  });
  recorder.addEventListener('dataavailable', (event) => {
    if (event.data.size > 0) options.onChunk(event.data);
  });
  const stopped = new Promise<void>((resolve) => recorder.addEventListener('stop', () => resolve()));
  const startedAt = performance.now();
  recorder.start(options.timesliceMs ?? RECORDING_TIMESLICE_MS);

  let stopping: Promise<void> | null = null;
  return {
    mimeType,
    elapsedMs: () => Math.max(0, Math.round(performance.now() - startedAt)),
    stop() {
      stopping ??= (async () => {
        if (recorder.state !== 'inactive') recorder.stop();
        await stopped;
        for (const source of sources) source.disconnect();
        sink.srcObject = null;
        await context.close().catch(() => undefined);
      })();
      return stopping;
    },
  };
}
