import type { Command } from 'commander';
import { registerCryptoCommand } from './crypto.js';
import { registerKbCommand } from './kb.js';
import { registerSendCommand } from './send.js';
import { registerServeCommand } from './serve.js';
import { registerBuildCommand } from './build.js';
import { registerDevCommand } from './dev.js';
import { registerJobsCommand } from './jobs.js';
import { registerFaqCommand } from './faq.js';
import { registerCorpCommand } from './corp.js';
import { registerCorpVerifyCommand } from './corp-verify.js';
import { registerSignupCommand } from './signup.js';
import { registerWelcomeCommand } from './welcome.js';
import { registerTagsCommand } from './tags.js';
import { registerCampaignsCommand } from './campaigns.js';
import { registerLeadsCommand } from './leads.js';

/** A sub-command adds itself to the program. One file per command, listed here. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  registerCryptoCommand,
  registerSendCommand,
  registerServeCommand,
  registerKbCommand,
  registerBuildCommand,
  registerDevCommand,
  registerJobsCommand,
  registerCorpCommand,
  registerCorpVerifyCommand,
  registerFaqCommand,
  registerSignupCommand,
  registerWelcomeCommand,
  registerTagsCommand,
  registerCampaignsCommand,
  registerLeadsCommand,
];
