import { openEarlySocket } from './bridge/earlySocket';

// The page's first script (index.html): small, so it runs while the main bundle still loads.
openEarlySocket();
