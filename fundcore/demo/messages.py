"""The demo's messages, registered with the catalogue (``fundcore.messages``)."""

from fundcore import messages

MESSAGES = {
    "demo.bad_size": (
        "演示规模无效：{what} 应在 {low} 到 {high} 之间",
        "bad demo size: {what} must be from {low} to {high}",
    ),
    "demo.exists": (
        "{path} 已存在：请换一个 --out 目录，或用 --force 替换上次的演示数据库",
        "{path} exists: choose another --out directory, or --force to replace the last demo",
    ),
}

messages.register(MESSAGES)
