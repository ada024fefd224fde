/** An inline icon (a data URI), so that the browser's favicon request is not a 404. */
const FAVICON = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#3370ff"/><text x="16" y="23" font-size="18" font-family="sans-serif" text-anchor="middle" fill="#fff">w</text></svg>',
)}`;

/** The page's HTML: a shell the script fills in (styles are in the script, so one file is served). */
export function pageHtml(): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>wecombot emulator</title>
<link rel="icon" href="${FAVICON}">
</head>
<body>
<div id="app">loading…</div>
<script src="/app.js"></script>
</body>
</html>
`;
}
