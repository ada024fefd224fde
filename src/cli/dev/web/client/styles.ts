/** The page's styles, close to the WeCom desktop client: grey chat, white bubbles, blue own bubbles. */
export const STYLES = `
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif, "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji"; color: #1f2329; }
#app { display: grid; grid-template-columns: 250px 1fr 420px; height: 100vh; overflow: hidden; }
#app > * { min-height: 0; }
body { overflow: hidden; }
#side { background: #2e3238; color: #d6d8db; padding: 12px; overflow: auto; }
#side h3 { font-size: 12px; color: #8f959e; margin: 16px 0 6px; text-transform: uppercase; }
#side button, #inspector button { background: #3d434b; color: #e9ebee; border: 0; border-radius: 4px; padding: 4px 8px; margin: 2px; cursor: pointer; font-size: 12px; }
#inspector button { background: #eef1f5; color: #1f2329; border: 1px solid #d9dde3; }
#side button:hover { background: #4a525c; }
.brand { font-weight: 600; font-size: 16px; color: #fff; }
.brand small { display: block; font-weight: 400; color: #8f959e; font-size: 12px; }
.viewer select { width: 100%; margin-top: 4px; }
.convs, .members { list-style: none; margin: 0; padding: 0; }
.convs li { padding: 6px 8px; border-radius: 4px; cursor: pointer; }
.convs li small { float: right; color: #8f959e; }
.convs li.active { background: #4a525c; color: #fff; }
.members li { padding: 2px 4px; display: flex; align-items: center; gap: 6px; min-height: 26px; }
.members li small { color: #8f959e; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
#side .members li .x { margin: 0 0 0 auto; padding: 0; width: 20px; height: 20px; line-height: 20px; font-size: 14px; text-align: center; flex: none; }
#offline { display: none; background: #d83931; color: #fff; padding: 6px 16px; font-size: 13px; }
body.offline #offline { display: block; }
.commands { display: flex; flex-wrap: wrap; }
.hint { font-size: 12px; color: #8f959e; }
.row { display: flex; flex-wrap: wrap; gap: 2px; align-items: center; }
label.file { background: #3d434b; border-radius: 4px; padding: 4px 8px; font-size: 12px; cursor: pointer; }
label.file input { display: none; }
.replay { font-size: 12px; margin-top: 6px; word-break: break-word; }
#chat { display: flex; flex-direction: column; background: #f2f3f5; min-width: 0; }
#chat-head { padding: 10px 16px; background: #fff; border-bottom: 1px solid #e5e6eb; }
#chat-head small { color: #8f959e; margin-left: 8px; }
#messages { flex: 1; overflow: auto; padding: 16px; }
#toast { color: #d83931; padding: 0 16px; min-height: 0; }
#composer { display: flex; gap: 6px; padding: 10px; background: #fff; border-top: 1px solid #e5e6eb; }
#composer input { flex: 1; padding: 8px; border: 1px solid #d9dde3; border-radius: 4px; font-size: 14px; }
#composer button { background: #3370ff; color: #fff; border: 0; border-radius: 4px; padding: 0 16px; cursor: pointer; }
.msg { display: flex; gap: 8px; margin: 10px 0; align-items: flex-start; }
.msg.mine { flex-direction: row-reverse; }
.avatar { width: 36px; height: 36px; border-radius: 4px; background: #5b8ff9; color: #fff; display: flex; align-items: center; justify-content: center; flex: none; }
.msg.bot .avatar { background: #e8f3ff; }
.bubble-wrap { max-width: 75%; min-width: 0; }
.msg.mine .bubble-wrap { text-align: right; }
.meta { font-size: 12px; color: #8f959e; margin-bottom: 2px; }
.meta .channel { background: #e5e6eb; border-radius: 3px; padding: 0 4px; }
.meta .private { background: #fff3e8; color: #d25f00; border-radius: 3px; padding: 0 4px; }
.meta .inspect { color: #3370ff; cursor: pointer; }
.bubble { background: #fff; border-radius: 6px; padding: 8px 12px; display: inline-block; text-align: left; word-break: break-word; max-width: 100%; }
.msg.mine .bubble { background: #cce0ff; }
.system { text-align: center; color: #8f959e; font-size: 12px; margin: 8px 0; }
.mention { color: #3370ff; }
.md h1, .md h2, .md h3, .md h4, .md h5, .md h6 { margin: 4px 0; font-size: 15px; }
.md h1 { font-size: 18px; } .md h2 { font-size: 16px; }
.md blockquote, .card-quote { border-left: 3px solid #d9dde3; margin: 4px 0; padding-left: 8px; color: #646a73; }
.md code { background: #f2f3f5; padding: 0 4px; border-radius: 3px; font-family: ui-monospace, monospace; }
.md pre.code { background: #1f2329; color: #e9ebee; padding: 8px; border-radius: 4px; overflow: auto; }
.md pre.code code { background: none; color: inherit; }
.md table { border-collapse: collapse; margin: 4px 0; }
.md th, .md td { border: 1px solid #d9dde3; padding: 2px 8px; }
.md th { background: #f2f3f5; }
.md .gap { height: 6px; }
.font-info { color: #2ea121; } .font-comment { color: #8f959e; } .font-warning { color: #f5a623; }
.ph { display: inline-flex; gap: 6px; align-items: center; background: #f7f8fa; border: 1px dashed #c9cdd4; border-radius: 4px; padding: 6px 10px; color: #646a73; }
.ph small { color: #8f959e; margin-left: 6px; max-width: 240px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.news-title { font-weight: 600; } .news-desc { color: #646a73; font-size: 13px; }
.streaming .cursor { animation: blink 1s infinite; } @keyframes blink { 50% { opacity: 0; } }
.card { min-width: 280px; }
.card-type { font-size: 11px; color: #8f959e; text-transform: uppercase; }
.card.updated { outline: 2px solid #b7eb8f; outline-offset: 6px; border-radius: 4px; }
.card-source { color: #8f959e; font-size: 12px; }
.card-title { font-weight: 600; font-size: 15px; }
.card-desc, .card-sub { color: #646a73; }
.card-emphasis b { display: block; font-size: 24px; color: #3370ff; }
.card-kv { display: flex; gap: 12px; font-size: 13px; } .card-kv .k { color: #8f959e; min-width: 64px; }
.card-jump a, .card-action { color: #3370ff; font-size: 13px; }
.card-question { margin: 6px 0; } .q-title { color: #646a73; font-size: 12px; }
.opt { display: block; padding: 2px 0; cursor: pointer; }
.card-buttons, .attach-buttons { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; border-top: 1px solid #eef0f3; padding-top: 8px; }
.card-button { background: #3370ff; color: #fff; border: 0; border-radius: 4px; padding: 5px 14px; cursor: pointer; }
.card-button.secondary { background: #fff; color: #3370ff; border: 1px solid #3370ff; }
.card-button:disabled { background: #c9cdd4; cursor: not-allowed; }
#inspector { background: #fff; border-left: 1px solid #e5e6eb; overflow: auto; padding: 10px; font-size: 12px; }
#inspector h3 { margin: 8px 0; font-size: 13px; }
#inspector h4 { margin: 8px 0 2px; font-size: 12px; color: #646a73; }
#inspector pre { background: #f7f8fa; padding: 6px; border-radius: 4px; white-space: pre-wrap; word-break: break-all; max-height: 260px; overflow: auto; margin: 0; }
.robot { border: 1px solid #e5e6eb; border-radius: 6px; padding: 8px; margin-bottom: 8px; }
.window { height: 6px; background: #eef0f3; border-radius: 3px; margin: 4px 0; overflow: hidden; }
.window div { height: 100%; background: #3370ff; }
.waiting { color: #d25f00; margin: 4px 0; }
.exchange { border-bottom: 1px solid #eef0f3; padding: 6px 0; }
.ex-head { cursor: pointer; }
.ex-head small { color: #8f959e; }
.errors, .errmsg { color: #d83931; margin: 2px 0; }
.good { color: #2ea121; } .bad { color: #d83931; }
.ack { position: relative; height: 16px; background: #eef0f3; border-radius: 3px; margin: 4px 0; }
.ack div { height: 100%; background: #b7eb8f; border-radius: 3px; }
.ack.over div { background: #ffccc7; }
.ack span { position: absolute; left: 6px; top: 0; font-size: 11px; }
.busy { color: #3370ff; }
`;
