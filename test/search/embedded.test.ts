import { engineConformance } from './conformance.js';
import { EmbeddedEngine } from '../../src/search/backends/embedded.js';

engineConformance('embedded', async (o) => new EmbeddedEngine(undefined, { baseUrl: o.baseUrl, synonyms: o.synonyms, bigrams: o.bigrams }));
