import { z } from 'zod';

// The page runs under a CSP without 'unsafe-eval'. zod 4 would probe `new Function` to compile
// fast object parsers, which the CSP reports as a violation: tell it not to, before any parse.
z.config({ jitless: true });
