/**
 * The built-in customer vocabulary: how people ask in a chat, next to the words documentation
 * is written in. One group a line, as in a synonyms file; the first member of a group is the
 * documentation's usual word.
 *
 * A member the index has no words for (`收钱` is `收` + `钱` to a documentation vocabulary)
 * still triggers its group when typed; only members with an indexed word of two characters or
 * more are searched (see `searchable` in query.ts). So colloquial forms can sit in a group freely: they
 * help a customer's question find the documentation's word, never the other way round.
 * Groups are kept tight (计费 and 价格 apart): a group is one meaning, and every member of it
 * is searched when any is typed.
 *
 * Single characters are never members: `钱` would fire inside every word that contains it.
 * A knowledge base adds its own groups on top (`synonyms`), or turns this list off
 * (`customerWords: false`).
 */
export const CUSTOMER_WORDS = `
# money
计费 = 收费 = 扣费 = 收钱 = 扣钱 = 要钱 = 花钱
价格 = 定价 = 费用 = 多少钱 = 价钱 = 贵不贵 = 怎么卖 = 资费
付费 = 付款 = 支付 = 付钱 = 交钱 = 缴费
退款 = 退费 = 退钱 = 退差价
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
报错 = 出错 = 错误
故障 = 坏了 = 挂了 = 宕机 = 出问题
很慢 = 太慢 = 速度慢 = 卡顿 = 延迟高
# changes
修改 = 更改 = 变更 = 改成
删除 = 删掉 = 删了 = 移除
恢复 = 找回 = 还原 = 找回来
迁移 = 搬迁 = 挪到 = 转移 = 搬到 = 迁到 = 搬数据
重装系统 = 重做系统 = 重新安装系统 = 重装
升级配置 = 升配 = 加配置 = 提升配置
降低配置 = 降配 = 降级
更换 = 替换 = 换掉 = 换成
取消 = 撤销
开通 = 申请 = 开启
购买 = 下单 = 买了
试用 = 体验
重置密码 = 忘记密码 = 找回密码 = 密码忘了 = 改密码
默认密码 = 初始密码
# things
云服务器 = 云主机 = 虚拟机 = 虚机
云硬盘 = 云盘 = 硬盘 = 磁盘
账号 = 帐号 = 账户 = 帐户
子账号 = 子用户 = 子帐号
公网 = 外网
内网 = 私网
海外 = 境外 = 国外
地域 = 地区 = 机房
带宽 = 网速
告警 = 报警
关机 = 停机 = 关掉
# sizes and limits
上限 = 最多 = 配额 = 限额 = 最大
大小 = 多大 = 容量
数量 = 几个 = 多少个
时长 = 多久 = 多长时间 = 有效期
# kinds of question
区别 = 差别 = 不同 = 差异 = 对比 = 差在哪 = 不一样 = 有啥不同
优势 = 好处 = 优点 = 好在哪 = 强在哪
介绍 = 是什么 = 干嘛用 = 干嘛的 = 有什么用 = 作用 = 用途 = 含义 = 啥意思 = 什么意思 = 概念
原因 = 为啥 = 咋回事 = 怎么回事
步骤 = 教程 = 怎么操作 = 操作方法 = 如何操作
注意事项 = 注意点 = 注意什么 = 要注意啥
`;
