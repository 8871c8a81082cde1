// The desk rings for an incoming call on the chosen speaker: China's ring tone, 450 Hz, one second
// on, four off, quietly. WebAudio into a media element, so setSinkId can pick the headset.

export interface Ringtone {
  stop(): void;
}

type SinkAudio = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };

export function startRingtone(speakerId: string): Ringtone {
  const context = new AudioContext();
  const out = context.createMediaStreamDestination();
  const gain = context.createGain();
  gain.gain.value = 0;
  const tone = context.createOscillator();
  tone.frequency.value = 450;
  tone.connect(gain).connect(out);
  tone.start();
  // One second on, four off, for as long as it rings (scheduled ahead in the audio clock).
  const start = context.currentTime + 0.05;
  for (let cycle = 0; cycle < 24; cycle++) {
    const at = start + cycle * 5;
    gain.gain.setValueAtTime(0.15, at);
    gain.gain.setValueAtTime(0, at + 1);
  }
  const audio = document.createElement('audio') as SinkAudio;
  audio.srcObject = out.stream;
  const play = async () => {
    if (speakerId && audio.setSinkId) await audio.setSinkId(speakerId).catch(() => undefined);
    await audio.play().catch(() => undefined);
  };
  void context.resume().then(play);
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      tone.stop();
      audio.pause();
      audio.srcObject = null;
      void context.close().catch(() => undefined);
    },
  };
}
