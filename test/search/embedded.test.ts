import { engineConformance } from './conformance.js';
import { EmbeddedEngine } from '../../src/search/backends/embedded.js';

engineConformance('embedded', async (o) => new EmbeddedEngine(undefined, { ...o }));
