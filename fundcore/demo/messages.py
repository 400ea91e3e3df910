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
    "demo.not_ours": (
        "{path} 中的数据库或申请表不是演示建立的（没有演示标记文件 .fundcore-demo）："
        "--force 只替换演示自己的目录，未删除任何内容；请换一个 --out 目录",
        "{path} holds a database or sheets the demo did not make (no .fundcore-demo marker): "
        "--force replaces only the demo's own folder, nothing was deleted; choose another "
        "--out folder",
    ),
    "demo.not_folder": (
        "--out 应为文件夹，{path} 是一个文件",
        "--out must be a folder; {path} is a file",
    ),
}

messages.register(MESSAGES)
