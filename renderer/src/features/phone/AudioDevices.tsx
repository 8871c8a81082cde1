import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Form, Progress, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { microphoneConstraints } from '../../phone/callRecorder';

// The headset: microphone and speaker choice, a live microphone level, and a test of both (a tone
// on the chosen speaker; 3 s recorded from the chosen microphone and played back).

type SinkAudio = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };

export interface AudioChoice {
  microphoneId: string;
  speakerId: string;
}

function useDevices(): { microphones: MediaDeviceInfo[]; speakers: MediaDeviceInfo[] } {
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  useEffect(() => {
    const read = () =>
      void navigator.mediaDevices
        ?.enumerateDevices()
        .then(setDevices)
        .catch(() => setDevices([]));
    read();
    navigator.mediaDevices?.addEventListener('devicechange', read);
    return () => navigator.mediaDevices?.removeEventListener('devicechange', read);
  }, []);
  return {
    microphones: devices.filter((d) => d.kind === 'audioinput' && d.deviceId !== 'default'),
    speakers: devices.filter((d) => d.kind === 'audiooutput' && d.deviceId !== 'default'),
  };
}

/** The chosen microphone's level, 0–100, while the view is open. */
function useMicrophoneLevel(microphoneId: string): { level: number; error: string | null } {
  const [level, setLevel] = useState(0);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stopped = false;
    let frame = 0;
    let stream: MediaStream | null = null;
    let context: AudioContext | null = null;
    void navigator.mediaDevices
      ?.getUserMedia({ audio: microphoneConstraints(microphoneId), video: false })
      .then((media) => {
        if (stopped) {
          media.getTracks().forEach((track) => track.stop());
          return;
        }
        setError(null);
        stream = media;
        context = new AudioContext();
        const analyser = context.createAnalyser();
        analyser.fftSize = 1024;
        context.createMediaStreamSource(media).connect(analyser);
        const samples = new Float32Array(analyser.fftSize);
        const tick = () => {
          analyser.getFloatTimeDomainData(samples);
          let sum = 0;
          for (const sample of samples) sum += sample * sample;
          const db = 10 * Math.log10(sum / samples.length + 1e-12);
          // -60 dBFS (silence) … 0 dBFS (full scale) onto 0…100.
          setLevel(Math.max(0, Math.min(100, Math.round(((db + 60) / 60) * 100))));
          frame = requestAnimationFrame(tick);
        };
        tick();
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    return () => {
      stopped = true;
      cancelAnimationFrame(frame);
      stream?.getTracks().forEach((track) => track.stop());
      void (context as AudioContext | null)?.close();
    };
  }, [microphoneId]);
  return { level, error };
}

async function playOn(speakerId: string, source: { stream?: MediaStream; url?: string }, audio: SinkAudio) {
  if (speakerId && audio.setSinkId) await audio.setSinkId(speakerId).catch(() => undefined);
  if (source.stream) audio.srcObject = source.stream;
  if (source.url) audio.src = source.url;
  await audio.play();
}

export function AudioDevices({ value, onChange }: { value: AudioChoice; onChange(next: AudioChoice): void }) {
  const { t } = useTranslation();
  const { microphones, speakers } = useDevices();
  const { level, error } = useMicrophoneLevel(value.microphoneId);
  const [busy, setBusy] = useState<'tone' | 'recording' | 'playing' | null>(null);
  const audioRef = useRef<SinkAudio | null>(null);
  const canChooseSpeaker = typeof (HTMLMediaElement.prototype as SinkAudio).setSinkId === 'function';

  const audio = () => (audioRef.current ??= document.createElement('audio') as SinkAudio);

  const playTone = async () => {
    setBusy('tone');
    const context = new AudioContext();
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    const out = context.createMediaStreamDestination();
    oscillator.frequency.value = 440;
    gain.gain.value = 0.2;
    oscillator.connect(gain).connect(out);
    oscillator.start();
    await playOn(value.speakerId, { stream: out.stream }, audio()).catch(() => undefined);
    window.setTimeout(() => {
      oscillator.stop();
      void context.close();
      setBusy(null);
    }, 1000);
  };

  const recordAndPlay = async () => {
    setBusy('recording');
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: microphoneConstraints(value.microphoneId),
        video: false,
      });
      const recorder = new MediaRecorder(stream);
      const parts: Blob[] = [];
      recorder.addEventListener('dataavailable', (e) => parts.push(e.data));
      const stopped = new Promise((resolve) => recorder.addEventListener('stop', resolve));
      recorder.start();
      await new Promise((resolve) => window.setTimeout(resolve, 3000));
      recorder.stop();
      await stopped;
      stream.getTracks().forEach((track) => track.stop());
      setBusy('playing');
      const url = URL.createObjectURL(new Blob(parts, { type: recorder.mimeType }));
      const player = audio();
      player.srcObject = null;
      player.onended = () => {
        URL.revokeObjectURL(url);
        setBusy(null);
      };
      await playOn(value.speakerId, { url }, player);
    } catch {
      setBusy(null);
    }
  };

  const deviceOptions = (list: MediaDeviceInfo[]) => [
    { value: '', label: t('phone.audio.systemDefault') },
    ...list.map((d, i) => ({ value: d.deviceId, label: d.label || `${d.kind} ${i + 1}` })),
  ];

  return (
    <div data-testid="audio-devices">
      <Form layout="vertical">
        <Form.Item label={t('phone.audio.microphone')}>
          <Select
            data-testid="audio-microphone"
            value={value.microphoneId}
            options={deviceOptions(microphones)}
            onChange={(microphoneId: string) => onChange({ ...value, microphoneId })}
          />
        </Form.Item>
        <Form.Item label={t('phone.audio.level')}>
          <Progress
            data-testid="audio-level"
            percent={level}
            showInfo={false}
            steps={20}
            strokeColor={['#52c41a', '#52c41a', '#faad14']}
          />
        </Form.Item>
        {error ? (
          <Alert type="warning" showIcon title={t('phone.audio.noPermission', { message: error })} />
        ) : null}
        <Form.Item label={t('phone.audio.speaker')}>
          <Select
            data-testid="audio-speaker"
            value={value.speakerId}
            disabled={!canChooseSpeaker}
            options={deviceOptions(speakers)}
            onChange={(speakerId: string) => onChange({ ...value, speakerId })}
          />
        </Form.Item>
        {!canChooseSpeaker ? <div className="muted small">{t('phone.audio.speakerUnsupported')}</div> : null}
      </Form>
      <Space>
        <Button
          data-testid="audio-test-tone"
          loading={busy === 'tone'}
          disabled={busy !== null}
          onClick={() => void playTone()}
        >
          {t('phone.audio.testTone')}
        </Button>
        <Button
          data-testid="audio-test-record"
          loading={busy === 'recording' || busy === 'playing'}
          disabled={busy !== null}
          onClick={() => void recordAndPlay()}
        >
          {busy === 'recording'
            ? t('phone.audio.recording')
            : busy === 'playing'
              ? t('phone.audio.playing')
              : t('phone.audio.testRecord')}
        </Button>
      </Space>
    </div>
  );
}
