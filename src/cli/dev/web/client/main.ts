/**
 * The web emulator's page: chats on the left, the chat in the middle as the viewer sees it,
 * the inspector and the controls on the right. The server sends the whole session after every
 * change (server-sent events) and the page redraws from it; the composer and card selections
 * live outside the redrawn parts, so typing is never lost.
 */
import { bodyFor } from '../buttons.js';
import type { Robot, WebAction, WebExchange, WebMessage, WebState } from '../model.js';
import { escapeHtml as esc } from './markdown.js';
import { messageBody } from './message.js';
import { STYLES } from './styles.js';

let state: WebState | undefined;
let conversationId = 'g1';
let robot: Robot = 'group';
/** A chat the page switched to before the session it is in arrived (the single chat just asked for). */
let wanted: string | undefined;
let openExchange: string | undefined;
let lastReplay = '';

const $ = <T extends HTMLElement>(sel: string) => document.querySelector(sel) as T;

async function act(action: WebAction): Promise<boolean> {
  let answer: { ok: boolean; error?: string };
  try {
    const res = await fetch('/api/action', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(action),
    });
    answer = (await res.json()) as { ok: boolean; error?: string };
  } catch (err) {
    answer = { ok: false, error: `the emulator is not reachable (${err instanceof Error ? err.message : String(err)})` };
  }
  $('#toast').textContent = answer.ok ? '' : `⚠ ${answer.error ?? 'failed'}`;
  return answer.ok;
}

function sees(m: WebMessage): boolean {
  return !m.visibleTo || m.visibleTo.includes(state!.viewer.userId);
}

function shell(): void {
  const style = document.createElement('style');
  style.textContent = STYLES;
  document.head.append(style);
  $('#app').innerHTML = `
  <aside id="side"></aside>
  <main id="chat">
    <div id="offline" data-testid="offline" role="alert">⚠ 与 wecombot dev 的连接已断开 (disconnected: the dev server stopped or restarted) — 正在重连…</div>
    <header id="chat-head"></header>
    <div id="messages" data-testid="messages"></div>
    <div id="toast" data-testid="toast"></div>
    <form id="composer">
      <select id="robot" data-testid="robot-select" title="which robot you @-mention"></select>
      <input id="input" data-testid="composer-input" autocomplete="off" placeholder="发消息… (/command 运行模拟器命令)">
      <button id="send" data-testid="send" type="submit">发送</button>
    </form>
  </main>
  <section id="inspector"></section>`;
  $<HTMLFormElement>('#composer').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = $<HTMLInputElement>('#input');
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    void act(text.startsWith('/') ? { type: 'command', line: text, conversationId } : { type: 'say', conversationId, robot, text });
  });
  $<HTMLSelectElement>('#robot').addEventListener('change', (e) => (robot = (e.target as HTMLSelectElement).value as Robot));
  document.addEventListener('click', onClick);
  document.addEventListener('change', onChange);
}

function onChange(e: Event): void {
  const t = e.target as HTMLElement;
  if (t.id === 'viewer') {
    const userId = (t as HTMLSelectElement).value;
    void act({ type: 'viewer', userId });
  }
  if (t.id === 'replay-file') {
    const file = (t as HTMLInputElement).files?.[0];
    if (file) void file.text().then(replay);
  }
}

async function replay(text: string): Promise<void> {
  lastReplay = '⏳ replaying…';
  render();
  const res = await fetch('/api/replay', { method: 'POST', body: text });
  const r = (await res.json()) as {
    ok: boolean;
    error?: string;
    steps?: { n: number; ok: boolean; expected: string[]; got: string[]; error?: string }[];
  };
  if (r.error) lastReplay = `✗ ${r.error}`;
  else {
    const bad = (r.steps ?? []).filter((s) => !s.ok);
    lastReplay = r.ok
      ? `✓ replay: ${r.steps?.length ?? 0} steps, same result`
      : `✗ replay: ${bad.length} of ${r.steps?.length ?? 0} steps differ — ${bad.map((s) => `step ${s.n}: ${s.error ?? `expected ${JSON.stringify(s.expected)}, got ${JSON.stringify(s.got)}`}`).join('; ')}`;
  }
  render();
}

function selections(messageId: string): { questionKey: string; optionIds: string[] }[] {
  const byKey = new Map<string, string[]>();
  document.querySelectorAll<HTMLInputElement>(`[data-card="${CSS.escape(messageId)}"] input[data-question]`).forEach((input) => {
    const key = input.dataset.question!;
    if (!byKey.has(key)) byKey.set(key, []);
    if (input.checked) byKey.get(key)!.push(input.value);
  });
  return [...byKey].filter(([, ids]) => ids.length > 0).map(([questionKey, optionIds]) => ({ questionKey, optionIds }));
}

function onClick(e: MouseEvent): void {
  const t = (e.target as HTMLElement).closest<HTMLElement>('[data-msg],[data-do]');
  if (!t || !state) return;
  if (t.dataset.msg !== undefined && t.dataset.button !== undefined) {
    const selected = selections(t.dataset.msg);
    void act({ type: 'click', messageId: t.dataset.msg, button: Number(t.dataset.button), ...(selected.length ? { selected } : {}) });
    return;
  }
  const d = t.dataset;
  switch (d.do) {
    case 'conversation':
      conversationId = d.id!;
      wanted = undefined;
      render();
      break;
    case 'join': {
      const name = prompt('新成员的名字 (display name)', '新同事');
      // A customer joins (an external_userid, wm…): the welcome bot's group-join welcomes customers.
      if (name) void act({ type: 'join', conversationId, userId: `wm${Date.now().toString(36)}`, name });
      break;
    }
    case 'leave':
      void act({ type: 'leave', conversationId, userId: d.id! });
      break;
    case 'add-group': {
      const title = prompt('群名称', `测试群 ${state.conversations.length + 1}`);
      if (title) void act({ type: 'addGroup', title });
      break;
    }
    case 'single': {
      // Switch now: the chat arrives with the next session push, which render() waits for
      // instead of falling back to the first group (what a message typed meanwhile would go to).
      const id = `single:${state.viewer.userId}`;
      conversationId = id;
      wanted = id;
      robot = 'aibot';
      render();
      void act({ type: 'single', userId: state.viewer.userId }).then((ok) => {
        if (!ok && wanted === id) wanted = undefined;
        render();
      });
      break;
    }
    case 'inject':
      void act({ type: 'inject', robot: d.robot as Robot, kind: d.kind as '45009' });
      break;
    case 'job':
      void act({ type: 'job', name: d.name! });
      break;
    case 'command': {
      // A command with arguments asks for them (e.g. /customer <staff>: the corp fake's new customer).
      const args = d.usage ? prompt(`/${d.name} ${d.usage}`, '') : '';
      if (args !== null) void act({ type: 'command', line: `/${d.name} ${args}`.trim(), conversationId });
      break;
    }
    case 'exchange':
      openExchange = openExchange === d.id ? undefined : d.id;
      render();
      break;
    case 'show-exchange':
      openExchange = d.id;
      render();
      break;
    case 'save':
      window.location.href = '/api/transcript';
      break;
    case 'reset':
      if (confirm('清空会话? (reset the session)')) void act({ type: 'reset' });
      break;
  }
}

function sidebar(s: WebState): string {
  const mine = s.conversations.filter((c) => c.kind === 'group' || c.members.some((m) => m.userId === s.viewer.userId));
  const everyone = new Map<string, string>();
  for (const c of s.conversations) for (const m of c.members) everyone.set(m.userId, m.name);
  const conv = s.conversations.find((c) => c.id === conversationId);
  return `
  <div class="brand">wecombot <small>${s.mode === 'real' ? 'REAL WeCom' : 'emulator'} · ${esc(s.source)}</small></div>
  <label class="viewer">我是 <select id="viewer" data-testid="viewer-select">${[...everyone]
    .map(([id, name]) => `<option value="${esc(id)}"${id === s.viewer.userId ? ' selected' : ''}>${esc(name)} (${esc(id)})</option>`)
    .join('')}</select></label>
  <h3>会话</h3>
  <ul class="convs">${mine
    .map(
      (c) =>
        `<li class="${c.id === conversationId ? 'active' : ''}" data-do="conversation" data-id="${esc(c.id)}" data-testid="conversation-${esc(c.id)}">${c.kind === 'group' ? '👥' : '🤖'} ${esc(c.title)}<small>${c.kind === 'group' ? `${c.members.length} 人` : '单聊'}</small></li>`,
    )
    .join('')}</ul>
  <div class="row"><button data-do="add-group">+ 群</button>${s.robots.includes('aibot') ? '<button data-do="single" data-testid="open-single">与智能机器人单聊</button>' : ''}</div>
  ${
    conv && conv.kind === 'group'
      ? `<h3>成员</h3><ul class="members">${conv.members
          .map(
            (m) =>
              `<li>${esc(m.name)} <small>${esc(m.userId)}</small><button class="x" title="移出群聊" data-do="leave" data-id="${esc(m.userId)}">×</button></li>`,
          )
          .join('')}</ul><button data-do="join" data-testid="add-member">+ 添加成员 (member joins)</button>`
      : ''
  }
  <h3>命令</h3><div class="commands">${s.commands
    .map(
      (c) =>
        `<button data-do="command" data-name="${esc(c.name)}" data-testid="command-${esc(c.name)}"${c.usage ? ` data-usage="${esc(c.usage)}"` : ''} title="${esc(`${c.usage ? `/${c.name} ${c.usage}: ` : ''}${c.description}`)}">/${esc(c.name)}${c.usage ? '…' : ''}</button>`,
    )
    .join('')}</div>
  <p class="hint">也可以在输入框输入，如 <code>/customer zhangsan</code></p>
  <h3>定时任务</h3><div class="commands">${s.jobs.map((j) => `<button data-do="job" data-name="${esc(j.name)}" data-testid="job-${esc(j.name)}" title="${esc(j.schedule)}">▶ ${esc(j.name)}</button>`).join('') || '<small>none</small>'}</div>
  <h3>记录 (transcript)</h3>
  <div class="row"><button data-do="save" data-testid="transcript-save">保存</button><label class="file">回放<input id="replay-file" data-testid="replay-file" type="file" accept=".jsonl,.json,.txt"></label><button data-do="reset">清空</button></div>
  <div class="replay" data-testid="replay-result">${esc(lastReplay)}</div>`;
}

/** The message as the viewer sees it (a card updated for them alone). */
function viewed(m: WebMessage, userId: string): WebMessage {
  return m.cardFor?.[userId] ? { ...m, body: bodyFor(m, userId), updated: true } : m;
}

function timeOf(at: number): string {
  return new Date(at).toTimeString().slice(0, 5);
}

function chatView(s: WebState): string {
  const messages = s.messages.filter((m) => m.conversationId === conversationId && sees(m));
  return messages
    .map((m) => {
      if (m.sender === 'system') return `<div class="system" data-testid="message" data-kind="${esc(m.kind)}">${messageBody(m)}</div>`;
      const mine = m.sender === 'member' && m.from === s.viewer.userId;
      const privateTo =
        m.visibleTo && !m.conversationId.startsWith('single:')
          ? `<span class="private" title="visible_to_user">仅 ${esc(m.visibleTo.join(', '))} 可见</span>`
          : '';
      return `<div class="msg ${mine ? 'mine' : ''} ${m.sender}" data-testid="message" data-kind="${esc(m.kind)}" data-sender="${m.sender}" data-id="${esc(m.id)}">
        <div class="avatar">${m.sender === 'bot' ? '🤖' : esc(m.fromName.slice(0, 1))}</div>
        <div class="bubble-wrap"><div class="meta">${esc(m.fromName)} · ${timeOf(m.at)} ${m.sender === 'bot' ? `<span class="channel">${esc(m.channel)}</span>` : ''} ${privateTo}${m.exchangeId ? ` <a class="inspect" data-do="show-exchange" data-id="${esc(m.exchangeId)}">inspect</a>` : ''}</div>
        <div class="bubble">${messageBody(viewed(m, s.viewer.userId))}</div></div></div>`;
    })
    .join('');
}

function ackBar(ex: WebExchange): string {
  if (ex.ms === undefined) return '';
  const pct = Math.min(100, (ex.ms / 5000) * 100);
  const over = ex.ms > ex.ackBudgetMs;
  return `<div class="ack ${over ? 'over' : ''}" title="ack budget ${ex.ackBudgetMs} ms, WeCom gives up at 5000 ms"><div style="width:${pct}%"></div><span>${ex.ms} ms / budget ${ex.ackBudgetMs} ms / 5 s</span></div>`;
}

function http(title: string, h: WebExchange['request']): string {
  if (!h) return '';
  const head = h.method ? `${h.method} ${h.url}` : `HTTP ${h.status ?? ''}`;
  return `<div class="http"><h4>${esc(title)}</h4><pre>${esc(head)}\n${Object.entries(h.headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join(
      '\n',
    )}\n\n${esc(h.body || '(empty body)')}</pre>${h.parsed ? `<h4>${esc(title)} — decrypted</h4><pre>${esc(h.parsed)}</pre>` : ''}</div>`;
}

function inspector(s: WebState): string {
  const status = s.robotStatus.filter(
    (r) =>
      r.robot === 'aibot' ||
      r.key === s.conversations.find((c) => c.id === conversationId)?.webhookKey ||
      (!conversationId.startsWith('g') && r.robot === 'group'),
  );
  const controls = status
    .map(
      (r) => `<div class="robot" data-testid="robot-${r.robot}">
      <div class="robot-head"><b>${r.robot === 'group' ? '群机器人 webhook' : '智能机器人 response_url'}</b> <span data-testid="counter-${r.robot}">${r.sentInWindow}/${r.limit}</span> 条/分钟</div>
      <div class="window"><div style="width:${Math.min(100, (r.sentInWindow / r.limit) * 100)}%"></div></div>
      <small>${r.sentInWindow ? `window frees in ${Math.ceil(r.windowResetMs / 1000)} s` : 'window empty'}${r.pending.length ? ` · pending: ${esc(r.pending.join(', '))}` : ''}</small>
      ${r.waiting ? `<div class="waiting" data-testid="waiting-${r.robot}">⏳ ${esc(r.waiting.reason)} — ${Math.max(0, Math.ceil((r.waiting.until - Date.now()) / 1000))} s</div>` : ''}
      <div class="row">${(['45009', '93000', 'slow', 'retry3'] as const)
        .map(
          (k) =>
            `<button data-do="inject" data-robot="${r.robot}" data-kind="${k}" data-testid="inject-${r.robot}-${k}">${{ '45009': '45009 限流', '93000': '93000 无效', slow: '慢响应', retry3: '重试 ×3' }[k]}</button>`,
        )
        .join('')}</div></div>`,
    )
    .join('');
  const exchanges = [...s.exchanges]
    .reverse()
    .slice(0, 60)
    .map((ex) => {
      const open = ex.id === openExchange;
      const flag = ex.errors.length ? '<span class="bad">✗</span>' : '<span class="good">✓</span>';
      return `<div class="exchange ${open ? 'open' : ''}" data-testid="exchange">
        <div class="ex-head" data-do="exchange" data-id="${esc(ex.id)}">${flag} ${esc(ex.title)} <small>${ex.ms !== undefined ? `${ex.ms} ms` : ''}${ex.outbound.length ? ` · ${ex.outbound.length} out` : ''}</small></div>
        ${ex.errors.length ? `<div class="errors" data-testid="exchange-errors">${ex.errors.map((e) => `<div>${esc(e)}</div>`).join('')}</div>` : ''}
        ${
          open
            ? `${ackBar(ex)}${http('callback request (signed, encrypted)', ex.request)}${http('passive answer', ex.response)}
        ${ex.retries?.length ? `<h4>WeCom retries</h4><pre>${esc(ex.retries.map((r, i) => `#${i + 1} HTTP ${r.status} ${r.ms} ms ${r.body || '(empty)'}`).join('\n'))}</pre>` : ''}
        ${ex.outbound.map((o) => `<h4>${esc(o.endpoint)} #${o.seq} → ${o.status} ${o.errcode !== undefined ? `errcode ${o.errcode}` : ''}${o.injected ? ` (injected ${esc(o.injected)})` : ''}</h4>${o.errmsg ? `<div class="errmsg">${esc(o.errmsg)}</div>` : ''}<pre>${esc(o.body)}</pre>`).join('')}
        ${ex.notes.length ? `<h4>log</h4><pre>${esc(ex.notes.join('\n'))}</pre>` : ''}`
            : ''
        }</div>`;
    })
    .join('');
  return `<h3>控制 (controls)</h3>${controls}<h3>检查器 (inspector)${s.busy ? ' <span class="busy">…</span>' : ''}</h3><div class="exchanges">${exchanges || '<small>no exchanges yet</small>'}</div>`;
}

function render(): void {
  const s = state;
  if (!s) return;
  if (s.conversations.some((c) => c.id === conversationId)) {
    if (wanted === conversationId) wanted = undefined;
  } else if (wanted !== conversationId) conversationId = s.conversations[0]?.id ?? 'g1';
  const conv = s.conversations.find((c) => c.id === conversationId);
  const single = conv ? conv.kind === 'single' : conversationId.startsWith('single:');
  if (!s.robots.includes(robot) || (single && robot !== 'aibot')) robot = single ? 'aibot' : (s.robots[0] ?? 'group');
  $('#side').innerHTML = sidebar(s);
  $('#chat-head').innerHTML = conv
    ? `<b>${esc(conv.title)}</b> <small>${esc(conv.chatId || 'single chat')} · 我是 ${esc(s.viewer.name)}</small>`
    : '';
  const box = $('#messages');
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  // Keep what the viewer ticked on cards across redraws.
  const ticked = [...document.querySelectorAll<HTMLInputElement>('input[data-question]')].map((i) => [i.name, i.value, i.checked] as const);
  box.innerHTML = chatView(s);
  for (const [name, value, checked] of ticked) {
    const input = box.querySelector<HTMLInputElement>(`input[name="${CSS.escape(name)}"][value="${CSS.escape(value)}"]`);
    if (input) input.checked = checked;
  }
  if (atBottom) box.scrollTop = box.scrollHeight;
  const select = $<HTMLSelectElement>('#robot');
  const options = (single ? ['aibot'] : s.robots)
    .map((r) => `<option value="${r}"${r === robot ? ' selected' : ''}>@${r === 'group' ? '群机器人' : '智能机器人'}</option>`)
    .join('');
  if (select.innerHTML !== options) select.innerHTML = options;
  $('#inspector').innerHTML = inspector(s);
  document.body.dataset.busy = String(s.busy);
}

/** The "disconnected" notice: shown while the event stream is down, gone when it is back. */
function offline(down: boolean): void {
  document.body.classList.toggle('offline', down);
  document.body.dataset.connected = String(!down);
}

function connect(): void {
  const events = new EventSource('/api/events');
  events.onopen = () => offline(false);
  events.onmessage = (e) => {
    offline(false);
    const data = JSON.parse(e.data as string) as { type: 'state'; state: WebState };
    state = data.state;
    render();
  };
  events.onerror = () => {
    offline(true);
    // EventSource retries a dropped connection by itself; one it gave up on is opened again.
    if (events.readyState === EventSource.CLOSED) {
      events.close();
      setTimeout(connect, 2000);
    }
  };
}

shell();
connect();
