/** The page's HTML: a shell the script fills in (styles are in the script, so one file is served). */
export function pageHtml(): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>wecombot emulator</title>
</head>
<body>
<div id="app">loading…</div>
<script src="/app.js"></script>
</body>
</html>
`;
}
