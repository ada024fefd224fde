import { randomBytes } from 'node:crypto';

export interface FakeTag {
  id: string;
  name: string;
  create_time: number;
  order: number;
}

export interface FakeTagGroup {
  group_id: string;
  group_name: string;
  create_time: number;
  order: number;
  tags: FakeTag[];
}

/** A customer and the staff members who have them as a contact. */
export interface FakeCustomer {
  external_userid: string;
  name: string;
  type: 1 | 2;
  unionid?: string;
  /** userid → relationship; `tags` are corp tag ids set by mark_tag. */
  follow: Map<string, { userid: string; createtime: number; remark?: string; state?: string; tags: Set<string> }>;
}

export interface FakeGroupMember {
  userid: string;
  type: 1 | 2;
  join_time: number;
  join_scene: number;
  invitor?: { userid: string };
  name?: string;
}

export interface FakeGroupChat {
  chat_id: string;
  name: string;
  owner: string;
  create_time: number;
  status: number;
  member_list: FakeGroupMember[];
  member_version: string;
}

export interface FakeTemplate {
  template_id: string;
  content: Record<string, unknown>;
  /** False for a template another app created: edit and del answer 41058. */
  ownedByCaller: boolean;
}

export interface FakeMassMessage {
  msgid: string;
  body: Record<string, unknown>;
  fail_list: string[];
}

const id = (prefix: string) => `${prefix}${randomBytes(10).toString('hex')}`;

/**
 * What the fake corp knows: staff (the app's visible range), customers and their follow
 * users, corp tags, customer groups, group-welcome templates, uploaded media and mass messages.
 * Tests seed it; the handlers read and change it.
 */
export class FakeCorpState {
  readonly staff = new Set<string>();
  readonly customers = new Map<string, FakeCustomer>();
  readonly tagGroups = new Map<string, FakeTagGroup>();
  readonly chats = new Map<string, FakeGroupChat>();
  readonly templates = new Map<string, FakeTemplate>();
  readonly media = new Map<string, { type: string; createdAt: number }>();
  readonly massMessages: FakeMassMessage[] = [];

  constructor(private readonly now: () => number) {}

  addStaff(userid: string): void {
    this.staff.add(userid);
  }

  /** Adds (or extends) a customer of `userid`; returns it. */
  addCustomer(input: {
    external_userid?: string;
    name?: string;
    type?: 1 | 2;
    unionid?: string;
    userid: string;
    state?: string;
  }): FakeCustomer {
    this.addStaff(input.userid);
    const external = input.external_userid ?? id('wm');
    let customer = this.customers.get(external);
    if (!customer) {
      customer = { external_userid: external, name: input.name ?? `客户${external.slice(-4)}`, type: input.type ?? 1, follow: new Map() };
      if (input.unionid) customer.unionid = input.unionid;
      this.customers.set(external, customer);
    }
    if (!customer.follow.has(input.userid)) {
      const rel: { userid: string; createtime: number; tags: Set<string>; state?: string } = {
        userid: input.userid,
        createtime: Math.floor(this.now() / 1000),
        tags: new Set(),
      };
      if (input.state) rel.state = input.state;
      customer.follow.set(input.userid, rel);
    }
    return customer;
  }

  /** Creates a customer group owned by `owner`; returns it. */
  addGroupChat(input: { chat_id?: string; name?: string; owner: string; members?: FakeGroupMember[] }): FakeGroupChat {
    this.addStaff(input.owner);
    const t = Math.floor(this.now() / 1000);
    const chat: FakeGroupChat = {
      chat_id: input.chat_id ?? id('wr'),
      name: input.name ?? '客户群',
      owner: input.owner,
      create_time: t,
      status: 0,
      member_list: input.members ?? [{ userid: input.owner, type: 1, join_time: t, join_scene: 1 }],
      member_version: randomBytes(16).toString('hex'),
    };
    this.chats.set(chat.chat_id, chat);
    return chat;
  }

  /** A customer joins a group (what change_external_chat add_member reports). */
  addGroupMember(chatId: string, member: Omit<FakeGroupMember, 'join_time'> & { join_time?: number }): FakeGroupChat {
    const chat = this.chats.get(chatId);
    if (!chat) throw new Error(`fake corp: no group chat ${chatId}`);
    chat.member_list.push({ ...member, join_time: member.join_time ?? Math.floor(this.now() / 1000) });
    chat.member_version = randomBytes(16).toString('hex');
    return chat;
  }

  /** A template as if another app (or the admin console) made it. */
  addForeignTemplate(content: Record<string, unknown>): string {
    const template_id = id('msg');
    this.templates.set(template_id, { template_id, content, ownedByCaller: false });
    return template_id;
  }

  /** The corp tag ids a staff member set on a customer. */
  customerTags(userid: string, externalUserId: string): string[] {
    return [...(this.customers.get(externalUserId)?.follow.get(userid)?.tags ?? [])];
  }

  tagCount(): number {
    let n = 0;
    for (const g of this.tagGroups.values()) n += g.tags.length;
    return n;
  }

  findTag(tagId: string): { group: FakeTagGroup; tag: FakeTag } | undefined {
    for (const group of this.tagGroups.values()) {
      const tag = group.tags.find((t) => t.id === tagId);
      if (tag) return { group, tag };
    }
    return undefined;
  }

  newId(prefix: string): string {
    return id(prefix);
  }
}
