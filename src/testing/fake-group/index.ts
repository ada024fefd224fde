export {
  createTestGroup,
  randomSecrets,
  type TestGroup,
  type TestGroupOptions,
  type TestMember,
  type TestBotConfig,
  type Exchange,
} from './group.js';
export { CallbackSigner, readPassive, type PassiveReply } from './signer.js';
export {
  groupCallbackXml,
  groupCallbackJson,
  aibotCallbackJson,
  type GroupEvent,
  type AibotEvent,
  type Sender,
  type CardSelectedItem,
} from './callbacks.js';
