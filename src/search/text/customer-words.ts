/**
 * The built-in customer vocabulary: how people ask in a chat, next to the words documentation
 * is written in. One group a line, as in a synonyms file; the first member of a group is the
 * documentation's usual word.
 *
 * A member the index has no words for (`收钱` is `收` + `钱` to a documentation vocabulary)
 * still triggers its group when typed; only members with an indexed word of two characters or
 * more are searched (see `searchable` in query.ts). So colloquial forms can sit in a group freely: they
 * help a customer's question find the documentation's word, never the other way round.
 * Groups hold words, not phrases (`重装 = 重做`, not `重装系统`): a phrase would take the
 * query's other words (`系统`) into the synonym's clause. Every searched member of a group is
 * looked up when any member is typed, at most eight.
 *
 * Single characters are never members: `钱` would fire inside every word that contains it.
 * A knowledge base adds its own groups on top (`synonyms`), or turns this list off
 * (`customerWords: false`).
 */
export const CUSTOMER_WORDS = `
# money
计费 = 收费 = 扣费 = 多少钱 = 收钱 = 扣钱 = 要钱 = 花钱 = 花多少
价格 = 定价 = 费用 = 价钱 = 资费 = 怎么卖 = 贵不贵
付费 = 付款 = 支付 = 付钱 = 交钱 = 缴费
退款 = 退费 = 退钱 = 退还 = 退差价
免费 = 不收费 = 不要钱
欠费 = 余额不足 = 没钱了 = 没钱
发票 = 开票
续费 = 续期
到期 = 过期
包年包月 = 包月 = 包年 = 预付费
按量计费 = 按量付费 = 后付费 = 按量
# cannot reach, broken
无法访问 = 访问不了 = 打不开 = 上不去 = 访问失败
无法连接 = 连接失败 = 连不上 = 连不通
无法登录 = 登录不了 = 登不上 = 登录失败 = 进不去
无法删除 = 删不掉 = 删不了 = 删除失败
报错 = 出错 = 错误提示 = 提示错误
故障 = 坏了 = 挂了 = 宕机 = 出问题
很慢 = 太慢 = 速度慢 = 卡顿 = 延迟高
# changes
修改 = 更改 = 变更 = 改成
删除 = 删掉 = 删了 = 移除
恢复 = 找回 = 还原 = 找回来
迁移 = 搬迁 = 挪到 = 转移 = 搬到 = 迁到
重装 = 重做 = 重新安装
安装 = 装上
升级 = 升配 = 加配置 = 扩容
降级 = 降配
更换 = 替换 = 换掉 = 换成
取消 = 撤销
注销 = 销户
开通 = 申请 = 购买 = 买了 = 下单
试用 = 体验 = 内测
重置密码 = 忘记密码 = 找回密码 = 密码忘了 = 改密码
默认密码 = 初始密码
# things
服务器 = 云主机 = 主机 = 机器 = 虚拟机 = 虚机
硬盘 = 磁盘 = 云盘
账号 = 帐号 = 账户 = 帐户
子账号 = 子用户 = 子帐号
公网 = 外网
内网 = 私网
海外 = 境外 = 国外
地域 = 地区 = 区域
带宽 = 网速
告警 = 报警 = 通知 = 提醒
关机 = 停机 = 停止运行
# sizes and limits
上限 = 最多 = 限制 = 配额 = 限额
大小 = 多大 = 容量
数量 = 几个 = 多少个
时长 = 多久 = 多长时间 = 有效期
# kinds of question
区别 = 差别 = 不同 = 差异 = 对比 = 差在哪 = 不一样 = 有啥不同
优势 = 好处 = 优点 = 好在哪 = 强在哪
介绍 = 是什么 = 干嘛用 = 干嘛的 = 有什么用 = 作用 = 用途
含义 = 意思 = 啥意思 = 什么意思
原因 = 为啥 = 咋回事 = 怎么回事
步骤 = 教程 = 怎么操作 = 操作方法 = 如何操作
注意事项 = 注意点 = 注意什么 = 要注意啥
`;
