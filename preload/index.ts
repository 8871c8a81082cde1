// The preload: contextBridge only. The page gets `window.desk` (the contract's named calls and
// `on`), never ipcRenderer. Runs sandboxed, so it is bundled (scripts/build-electron.mjs) with
// everything inlined except 'electron'.
import { contextBridge, ipcRenderer } from 'electron';
import { buildDeskApi } from './deskBridge';

contextBridge.exposeInMainWorld('desk', buildDeskApi(ipcRenderer));
