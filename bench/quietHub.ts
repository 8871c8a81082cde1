// Imported first by bench/run.ts: the hub's logger reads its level once, when the first suite's
// imports load it, and request logs would drown the figures (and slow what they measure).
process.env.HUB_LOG_LEVEL ??= 'silent';
