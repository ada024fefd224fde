export { defineConfig, type WecombotConfig, type BuildSettings } from './define.js';
export { createBotFromConfig, type CreateFromConfigOptions } from './create.js';
export { readEnv, ENV, type EnvSettings } from './env.js';
