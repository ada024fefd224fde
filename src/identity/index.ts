// Customer identity: one id for a customer across external_userid, unionid, mobile and the staff who have them.
export {
  openIdentities,
  type CustomerIdentity,
  type FindBy,
  type Identities,
  type IdentitiesOptions,
  type LinkInput,
} from './identities.js';
export { IdentityError, normaliseMobile, type IdentityKeys } from './keys.js';
export { identityMigrations, identityTableNames, type IdentityKeyKind, type IdentityTables } from './schema.js';
