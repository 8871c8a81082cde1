import { desk } from './index';

// Imported first by main.tsx: the WebSocket's handshake runs while the rest of the page's modules
// (React, antd, i18n…) are evaluated, so the first calls find it open.
desk();
