/**
 * The default synonym list: how customers say common things in a chat, next to the words an
 * FAQ is written in. Groups of two characters or more only: a single character would match
 * inside unrelated words. A user's own list (product nicknames, their jargon) comes on top.
 */
export const DEFAULT_SYNONYMS = `
# money
多少钱 = 收费 = 计费 = 价格 = 费用 = 收钱 = 怎么卖 = 资费 = 贵不贵 = 花多少
付款 = 支付 = 付费 = 交钱 = 缴费
退款 = 退钱 = 退费 = 退还 = 退差价
免费 = 不要钱 = 不收费
欠费 = 余额不足 = 没钱了
发票 = 开票
续费 = 续期
到期 = 过期
# cannot reach, broken
上不去 = 无法访问 = 打不开 = 访问不了 = 连不上 = 进不去 = 访问失败 = 无法连接 = 连接失败
登录不了 = 无法登录 = 登不上 = 登录失败
报错 = 出错 = 错误提示 = 提示错误
故障 = 坏了 = 出问题 = 挂了
很慢 = 速度慢 = 卡顿 = 延迟高
# changes
修改 = 更改 = 变更 = 改成
删除 = 删掉 = 删了 = 移除
找回 = 恢复 = 还原
迁移 = 搬迁 = 挪到 = 转移 = 搬到
重装 = 重做 = 重新安装
安装 = 装上
升级 = 升配 = 加配置 = 扩容
降级 = 降配
取消 = 撤销
注销 = 销户
开通 = 申请 = 购买 = 买了 = 下单
试用 = 体验 = 内测
# things
服务器 = 云主机 = 主机 = 机器
硬盘 = 磁盘 = 云盘
账号 = 帐号 = 账户 = 帐户
密码 = 口令
外网 = 公网
内网 = 私网
海外 = 境外 = 国外
地域 = 地区 = 区域
带宽 = 网速
通知 = 提醒 = 告警
关机 = 停机 = 停止运行
# sizes and limits
上限 = 最多 = 限制 = 配额 = 限额
大小 = 多大 = 容量
数量 = 几个 = 多少个
多久 = 多长时间 = 时长
# kinds of question
区别 = 差别 = 不同 = 差异 = 对比 = 差在哪
介绍 = 是什么 = 干嘛用 = 有什么用 = 作用 = 用途
原因 = 为啥 = 咋回事 = 怎么回事
步骤 = 教程 = 怎么操作 = 操作方法
`;

/**
 * Words that carry no question: greetings, particles, politeness (single characters only
 * where no word of a synonym group or a common term contains them: not 么 of 什么, 哈 of 哈希). They are taken out of the
 * question before matching, so they neither match an entry nor count as unmatched words.
 */
export const FILLERS = [
  '请问', '你好', '您好', '麻烦', '帮忙', '帮我', '一下', '谢谢', '大佬', '老师', '在吗', '在不在',
  '能不能', '可不可以', '行不行', '是不是', '有没有', '怎么办', '咋办', '咋整', '呀', '哦', '吧', '呢', '啊', '吗',
];

const FILLER_RE = new RegExp(FILLERS.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');

/** The question without {@link FILLERS} (spaces keep the words around them apart). */
export function stripFillers(text: string): string {
  return text.replace(FILLER_RE, ' ').replace(/\s+/g, ' ').trim();
}
