import type { SourceDocument } from '../../src/search/types.js';

/**
 * A tiny documentation set for a made-up cloud ("星河云") written for these tests: Chinese
 * with English product names, code identifiers, front matter, FAQ headings without a space
 * after the hashes, an HTML page and a plain-text note.
 */
export const DOCS: SourceDocument[] = [
  {
    path: '函数/计费说明.md',
    content: `# 计费说明

星河函数（XFN）按调用次数和资源使用量收费。

## 计费方式

函数计费包含三部分：调用次数费用、资源使用量费用和公网出流量费用。每月前 100 万次调用免费。

## 欠费说明

账户欠费后，函数将在 24 小时后停止服务，充值后自动恢复。
`,
  },
  {
    path: '函数/快速入门.md',
    content: `---
title: 五分钟上手星河函数
url: https://docs.example.com/xfn/quickstart
---

## 创建函数

在控制台点击“新建”，选择 Python 3.9 运行环境。

## 编写代码

\`\`\`python
# 入口函数
def main_handler(event, context):
    return {"ok": True}
\`\`\`

自定义运行时的启动文件为 scf_bootstrap，需要可执行权限。

## 调用函数

使用 SDK 调用：\`xfn.invokeFunction(name, payload)\`，返回调用结果。
`,
  },
  {
    path: '函数/常见问题.md',
    content: `###如何查看函数日志？
在控制台的“日志查询”页面按时间范围检索，日志保留 7 天。

### 函数执行超时怎么办？
在函数配置中调大超时时间，最长 900 秒。

### 是否支持 Node.js 18？
支持 Node.js 16 和 Node.js 18 运行环境。
`,
  },
  {
    path: '存储/常见问题.md',
    content: `# 星河存储常见问题

### 如何上传大文件？
超过 5 GB 的文件请使用分块上传，每个分块最小 1 MB。

### 存储桶名称有什么限制？
存储桶名称只能包含小写字母、数字和中划线，长度不超过 50 个字符。

### 上传失败提示“网络开小差”怎么办？
请检查本地网络后重试，或者换用命令行工具上传。
`,
  },
  {
    path: '存储/api.md',
    content: `# XOS API 参考

## putObject

上传一个对象：

\`\`\`js
await xos.putObject({ Bucket: 'photos-1250000000', Key: 'a.jpg', Body: data });
\`\`\`

## getObject

下载一个对象，支持 Range 请求头。
`,
  },
  {
    path: '网络/负载均衡.html',
    content: `<!doctype html><html><head><title>负载均衡简介</title><script>var tracking = "ignore me";</script></head>
<body><h1>负载均衡简介</h1><p>负载均衡把流量分发到多台服务器。</p>
<h2 id="health">健康检查</h2><p>健康检查失败的实例不再接收&nbsp;流量。</p>
<h2>会话保持</h2><p>开启会话保持后，同一客户端的请求转发到同一台服务器。</p></body></html>`,
  },
  {
    path: 'notes.txt',
    content: '值班说明：夜间告警请联系 on-call 工程师，电话在内部通讯录。\n',
  },
];
