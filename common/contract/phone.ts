import { z } from 'zod';
import { DISPOSITIONS } from '../domain/model';

// The softphone's part of the desk API. The SIP user agent and MediaRecorder live in the renderer
// (WebRTC lives in the page); main keeps the settings and the password, stores the call facts and
// appends the recording chunks durably. Every schema here is parsed by main before a handler runs.

const Id = z.number().int().positive();
const IsoDateTime = z.iso.datetime({ offset: true });
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/** The SIP account, without its password (main keeps that; the renderer asks for it to register). */
export const SipSettings = z.strictObject({
  /** The SIP server's WebSocket, e.g. wss://pbx.court.example:8443 (ws:// only on loopback). */
  wsServer: z.url({ protocol: /^wss?$/ }).max(300),
  /** The account, e.g. sip:8001@pbx.court.example. */
  sipUri: z
    .string()
    .max(200)
    .regex(/^sips?:[^@\s]+@[^@\s]+$/),
  authUser: z.string().max(100).default(''),
  displayName: z.string().max(100).default(''),
  /** The number the party sees (outbound caller id), e.g. 0473-12368. */
  callerId: z.string().max(40).default(''),
  /** Prepended to the dialled number, e.g. '9' for an outside line, per kind of number. */
  dialPrefixes: z
    .strictObject({ mobile: z.string().max(8).default(''), landline: z.string().max(8).default('') })
    .default({ mobile: '', landline: '' }),
});
export type SipSettings = z.output<typeof SipSettings>;

/** The headset: chosen devices are remembered by main; empty means the system default. */
export const AudioPrefs = z.strictObject({
  microphoneId: z.string().max(200).default(''),
  speakerId: z.string().max(200).default(''),
});
export type AudioPrefs = z.output<typeof AudioPrefs>;

export const PhoneSetup = z.object({
  settings: SipSettings.nullable(),
  hasPassword: z.boolean(),
  /** user: saved in the settings view; file: given to the host with --settings; demo: the demo line. */
  source: z.enum(['user', 'file', 'demo', 'none']),
  audio: AudioPrefs,
  /** Why there is no demo line (e.g. Kamailio is not installed), when source is 'none'. */
  demoUnavailable: z.string().nullable(),
});
export type PhoneSetup = z.infer<typeof PhoneSetup>;

/** What the renderer reports about a call, as it happens. Main stamps each with its own clock. */
export const CallEvent = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('invite'),
    sipCallId: z.string().min(1).max(200),
    dialled: z.string().max(40),
  }),
  z.strictObject({ type: z.literal('ringing'), sipStatus: z.number().int().min(180).max(199) }),
  /** SIP 200 OK / ACK: the dialog is established — not yet a connected call. */
  z.strictObject({ type: z.literal('answered') }),
  /** The peer connection is connected: media flows. Only now does the call count as connected. */
  z.strictObject({ type: z.literal('media_connected') }),
  z.strictObject({ type: z.enum(['held', 'resumed', 'muted', 'unmuted']) }),
  z.strictObject({ type: z.literal('dtmf'), digits: z.string().regex(/^[0-9*#A-D]{1,20}$/) }),
  z.strictObject({
    type: z.literal('ended'),
    /** The final SIP status (200 for a call that was answered and then hung up). */
    sipStatus: z.number().int().min(100).max(699).nullable(),
    reason: z.string().max(200),
    hungUpBy: z.enum(['local', 'remote', 'system']),
    stats: z
      .strictObject({
        packetsLost: z.number().int().min(0),
        packetsReceived: z.number().int().min(0),
        jitterMs: z.number().min(0),
        roundTripMs: z.number().min(0).nullable(),
      })
      .nullable(),
  }),
]);
export type CallEvent = z.infer<typeof CallEvent>;

export const CallFacts = z.object({
  attemptId: Id,
  direction: z.enum(['outbound', 'inbound']),
  sipCallId: z.string().nullable(),
  dialled: z.string().nullable(),
  inviteAt: IsoDateTime.nullable(),
  ringingAt: IsoDateTime.nullable(),
  answeredAt: IsoDateTime.nullable(),
  mediaConnectedAt: IsoDateTime.nullable(),
  endedAt: IsoDateTime.nullable(),
  sipStatus: z.number().int().nullable(),
  reason: z.string().nullable(),
  hungUpBy: z.enum(['local', 'remote', 'system']).nullable(),
  stats: z
    .object({
      packetsLost: z.number(),
      packetsReceived: z.number(),
      jitterMs: z.number(),
      roundTripMs: z.number().nullable(),
    })
    .nullable(),
});
export type CallFacts = z.infer<typeof CallFacts>;

export const StepMark = z.object({ stepId: z.string(), offsetMs: z.number().int().min(0) });

export const RecordingView = z.object({
  id: Id,
  attemptId: Id,
  state: z.enum(['recording', 'complete', 'incomplete']),
  mimeType: z.string(),
  bytes: z.number().int(),
  durationMs: z.number().int().nullable(),
  /** SHA-256 of the final (seekable) file; null while recording. */
  sha256: Sha256.nullable(),
  /** SHA-256 of the bytes exactly as they were streamed (kept beside the repaired file). */
  rawSha256: Sha256.nullable(),
  startedAt: IsoDateTime,
  finishedAt: IsoDateTime.nullable(),
  marks: z.array(StepMark),
});
export type RecordingView = z.infer<typeof RecordingView>;

export const StorageStatus = z.object({
  freeBytes: z.number().int(),
  /** Recording minutes the free space still holds at the desk's bitrate. */
  minutesLeft: z.number().int(),
  level: z.enum(['ok', 'warning', 'critical']),
});
export type StorageStatus = z.infer<typeof StorageStatus>;

export const phoneCalls = {
  phoneSetup: { params: z.strictObject({}), result: PhoneSetup },
  /** Saves the account; a password given replaces the kept one, an absent one keeps it. */
  phoneSettingsSave: {
    params: z.strictObject({ settings: SipSettings, password: z.string().max(200).optional() }),
    result: PhoneSetup,
  },
  phoneAudioSave: { params: AudioPrefs, result: PhoneSetup },
  /** The password, for the user agent's registration only; never stored by the renderer. */
  phoneCredentials: { params: z.strictObject({}), result: z.object({ password: z.string() }) },
  /** Tasks whose party has this number (normalised), for a call coming in. */
  phoneMatchCaller: {
    params: z.strictObject({ number: z.string().max(40) }),
    result: z.array(
      z.object({ taskId: Id, phoneId: Id, partyName: z.string(), caseNumber: z.string(), open: z.boolean() }),
    ),
  },
  /** Reports one call event; answers the call's facts and, once ended, the disposition they suggest. */
  callEvent: {
    params: z.strictObject({ attemptId: Id, event: CallEvent }),
    result: z.object({ call: CallFacts, suggestedDisposition: z.enum(DISPOSITIONS).nullable() }),
  },
  recordingStart: {
    params: z.strictObject({
      attemptId: Id,
      mimeType: z.string().max(100),
    }),
    result: z.object({ recordingId: Id }),
  },
  /** One chunk (about a second). `seq` counts from 0 without gaps; a repeated seq with the same bytes is a no-op. */
  recordingChunk: {
    params: z.strictObject({
      recordingId: Id,
      seq: z.number().int().min(0),
      dataBase64: z.base64().max(2 * 1024 * 1024),
    }),
    result: z.object({ bytes: z.number().int(), seq: z.number().int() }),
  },
  recordingFinish: {
    params: z.strictObject({ recordingId: Id, reason: z.enum(['hangup', 'failed', 'unload']) }),
    result: RecordingView,
  },
  /** A script step ticked during the call, at its offset into the recording. */
  recordingMark: {
    params: z.strictObject({
      recordingId: Id,
      stepId: z.string().max(40),
      offsetMs: z.number().int().min(0),
    }),
    result: RecordingView,
  },
  /** The recording's bytes, for playback in the timeline. */
  recordingRead: {
    params: z.strictObject({ recordingId: Id }),
    result: z.object({ recording: RecordingView, dataBase64: z.string() }),
  },
  /** The file plus a small JSON manifest (hash and call facts), for the case's e-dossier. */
  recordingExport: {
    params: z.strictObject({ recordingId: Id }),
    result: z.object({
      fileName: z.string(),
      dataBase64: z.string(),
      manifestFileName: z.string(),
      manifest: z.string(),
    }),
  },
  storageStatus: { params: z.strictObject({}), result: StorageStatus },
} as const;
