"""The worker's words for every code the errors of client/ and sync/ carry: one Chinese text per
code, written once. Qt-free: the command line (`hecha sync`, trainer and report tools) and the
headless demo print them as they are (HechaError.message); the desktop UI translates the same
texts with Qt Linguist (ui/messages.py; scripts/build_translations reads this module).

A code may have variants named by its `reason` parameter ("task_read_only.done"): the variant's
text when there is one, else the code's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from client.domain.messages import QT_TRANSLATE_NOOP, fill

CONTEXT = "messages"

# Templates use str.format names matching the code's params. Keep the tone: what happened, then
# what to do.
MESSAGES: dict[str, str] = {
    "error": QT_TRANSLATE_NOOP("messages", "操作失败。"),
    # Network and sync (the codes of sync/client/errors.py and SYNC_PROTOCOL.md problem codes).
    "offline": QT_TRANSLATE_NOOP("messages", "无法连接服务器：请检查VPN是否已连接。您的修改已保存在本机，连接恢复后会自动上传。"),
    "timeout": QT_TRANSLATE_NOOP("messages", "服务器长时间没有响应（超时）：网络可能很慢或不稳定。您的修改已保存在本机，稍后会自动重试。"),
    "connection_lost": QT_TRANSLATE_NOOP("messages", "与服务器的连接中断：网络不稳定。您的修改已保存在本机，稍后会自动重试。"),
    "certificate": QT_TRANSLATE_NOOP("messages", "服务器证书校验失败：连接可能不安全，已停止同步。请检查电脑的日期时间，或联系县里的管理员确认服务器地址和证书文件（CA）设置。"),
    "insecure_server": QT_TRANSLATE_NOOP("messages", "服务器地址必须以 https:// 开头：只有本机可以用 http://，否则密码会以明文在网络上传送。请向县里的系统管理员确认服务器地址。"),
    "account_disabled": QT_TRANSLATE_NOOP("messages", "账号已停用：请联系县里的系统管理员。本机数据已锁定，不能再离线打开；尚未上传的修改仍加密保存在本机。"),
    "account_locked": QT_TRANSLATE_NOOP("messages", "密码错误次数过多，账号已暂时锁定：请稍后再试，或联系系统管理员。"),
    "password_expired": QT_TRANSLATE_NOOP("messages", "密码已过期：请先修改密码。"),
    "password_change_required": QT_TRANSLATE_NOOP("messages", "这是管理员为您设置的初始密码（新账号或密码已重置）：请先设置您自己的新密码，然后继续登录。"),
    "password_rejected": QT_TRANSLATE_NOOP("messages", "新密码不符合要求：至少 8 位，包含大写字母、小写字母、数字、符号中的至少三类，不能包含用户名，不能与最近 5 次的密码相同。"),
    "certificate_mismatch": QT_TRANSLATE_NOOP("messages", "数字证书与账号不符：请选择本人的证书（.p12/.pfx）后重新登录。"),
    "certificate_file": QT_TRANSLATE_NOOP("messages", "数字证书文件无法打开：请检查证书口令是否正确，或重新选择证书文件（.p12/.pfx）。"),
    "offline_unlock_refused": QT_TRANSLATE_NOOP("messages", "不能离线打开本机数据（账号已停用、超过离线期限、本机时间被调回或锁屏密码错误次数过多）：请在联网时登录。"),
    "offline_unlock_refused.account_disabled": QT_TRANSLATE_NOOP("messages", "不能离线打开本机数据：服务器已停用此账号。请在联网时登录。"),
    "offline_unlock_refused.signed_out": QT_TRANSLATE_NOOP("messages", "不能离线打开本机数据：锁屏密码错误次数过多，已退出登录。请在联网时登录。"),
    "offline_unlock_refused.clock_rollback": QT_TRANSLATE_NOOP("messages", "不能离线打开本机数据：本机日期时间早于上次使用时（可能被调回）。请在联网时登录。"),
    "offline_unlock_refused.offline_too_long": QT_TRANSLATE_NOOP("messages", "不能离线打开本机数据：已超过 {days} 天未联网验证。请在联网时登录。"),
    "server_error": QT_TRANSLATE_NOOP("messages", "服务器出错（错误 {status_code}）。您的修改已保存在本机，稍后会自动重试；如果持续出现，请联系管理员。"),
    "server_busy": QT_TRANSLATE_NOOP("messages", "服务器正忙，请稍候，程序会自动重试。"),
    "bad_request": QT_TRANSLATE_NOOP("messages", "服务器拒绝了请求（错误 {status_code}）。您的修改已保存在本机，请联系县里的管理员。"),
    "payload_too_large": QT_TRANSLATE_NOOP("messages", "一次上传的数据过多，程序会自动分批重试。"),
    "auth_expired": QT_TRANSLATE_NOOP("messages", "登录已过期：请重新输入密码登录。您的修改不会丢失。"),
    "login_failed": QT_TRANSLATE_NOOP("messages", "用户名或密码错误：请检查后重新输入（注意大小写和输入法）。"),
    "wrong_password": QT_TRANSLATE_NOOP("messages", "密码错误，无法打开本机数据：请输入您上次在本机登录时使用的密码。"),
    "password_changed": QT_TRANSLATE_NOOP("messages", "服务器上的密码已修改：请再输入一次在本机用过的旧密码，以便更新本机数据的加密。"),
    "no_local_store": QT_TRANSLATE_NOOP("messages", "本机没有用户“{username}”的数据，无法离线登录。请连接VPN后在线登录一次。"),
    "wrong_user": QT_TRANSLATE_NOOP("messages", "本机数据属于用户“{owner}”，不能以用户“{username}”的身份上传。"),
    "forbidden": QT_TRANSLATE_NOOP("messages", "没有权限：这条记录不在您的管辖范围内，或登录的账号不对。"),
    "client_too_old": QT_TRANSLATE_NOOP("messages", "本程序版本过旧，服务器已不再接受同步。请安装新版本；您的修改仍保存在本机。"),
    "resync_required": QT_TRANSLATE_NOOP("messages", "需要重新下载全部任务，您的待上传修改会保留。"),
    "request_in_progress": QT_TRANSLATE_NOOP("messages", "上一次同步仍在服务器上处理中，请稍后再试。"),
    "idempotency_key_reused": QT_TRANSLATE_NOOP("messages", "一条修改与服务器上已有的记录冲突，已停止上传这一条。请联系管理员。"),
    "bad_response": QT_TRANSLATE_NOOP("messages", "服务器返回的数据不完整或已损坏，本次同步没有更改任何数据。程序会自动重试。"),
    "cancelled": QT_TRANSLATE_NOOP("messages", "同步已取消。已完成的部分已保存。"),
    "sync_in_progress": QT_TRANSLATE_NOOP("messages", "正在同步中，请稍候。"),
    "digest_mismatch": QT_TRANSLATE_NOOP("messages", "本机数据与服务器校验不一致，已尝试修复，下次同步会再次检查。您的修改不会丢失。"),
    "sync_error": QT_TRANSLATE_NOOP("messages", "同步失败。您的修改已保存在本机，不会丢失。"),
    "unexpected": QT_TRANSLATE_NOOP("messages", "程序出现了意外错误。您已保存的工作不受影响。如果问题反复出现，请把日志文件发给管理员：{log_file}"),
    # Outcomes of pushed operations.
    "conflict": QT_TRANSLATE_NOOP("messages", "他人在您处理期间修改了这条记录，请选择保留哪一方的值。"),
    "rejected": QT_TRANSLATE_NOOP("messages", "服务器检查未通过，请按提示改正后重新保存。"),
    "gone": QT_TRANSLATE_NOOP("messages", "这条任务已被收回或转给他人，您的修改可以导出保存。"),
    "blocked": QT_TRANSLATE_NOOP("messages", "等待前一条修改处理完毕。"),
    # Refusals of the services layer (client.workspace).
    "validation_refused": QT_TRANSLATE_NOOP("messages", "保存失败：{summary}"),
    "task_not_found": QT_TRANSLATE_NOOP("messages", "找不到任务 {task_id}：可能已被收回或删除，请先同步。"),
    "task_read_only": QT_TRANSLATE_NOOP("messages", "任务 {task_id} 已完成、被收回或不再分配给您，不能再修改。"),
    "task_read_only.done": QT_TRANSLATE_NOOP("messages", "任务 {task_id} 已完成，不能再修改。"),
    "task_read_only.gone": QT_TRANSLATE_NOOP("messages", "任务 {task_id} 已被收回，不能再修改。"),
    "task_read_only.archived": QT_TRANSLATE_NOOP("messages", "任务 {task_id} 已不再分配给您，不能再修改。"),
    "no_progress_yet": QT_TRANSLATE_NOOP("messages", "本机还没有进度数据：请先联网同步一次（账号 {username}）。"),
    # Why an action is not allowed (client.workspace.errors.REFUSALS).
    "wrong_kind": QT_TRANSLATE_NOOP("messages", "任务 {task_id} 不是这类任务。"),
    "bad_payload": QT_TRANSLATE_NOOP("messages", "提交的内容格式不对。"),
    "bad_changes": QT_TRANSLATE_NOOP("messages", "修改内容格式不对。"),
    "read_only_fields": QT_TRANSLATE_NOOP("messages", "这些字段不能修改：{fields}"),
    "no_changes": QT_TRANSLATE_NOOP("messages", "没有需要保存的修改。"),
    "value_too_long": QT_TRANSLATE_NOOP("messages", "字段 {fields} 的内容过长。"),
    "value_hidden_chars": QT_TRANSLATE_NOOP("messages", "字段 {fields} 含有不可见的控制字符。"),
    "confirm_reason_required": QT_TRANSLATE_NOOP("messages", "请填写核实无误的原因。"),
    "separate_reason_required": QT_TRANSLATE_NOOP("messages", "请填写不是同一人的原因。"),
    "cannot_verify_reason": QT_TRANSLATE_NOOP("messages", "请选择“无法核实”或“非本辖区”。"),
    "household_choice": QT_TRANSLATE_NOOP("messages", "请选择一个现有户或新立户（只能选一个）。"),
    "relation_missing": QT_TRANSLATE_NOOP("messages", "请选择与户主的关系。"),
    "household_not_offered": QT_TRANSLATE_NOOP("messages", "户 {household_id} 不在可选的户中。"),
    "reject_reason": QT_TRANSLATE_NOOP("messages", "请选择退回原因：非本地居住、已登记或数据有误。"),
    "existing_person_missing": QT_TRANSLATE_NOOP("messages", "请选择已登记的人员。"),
    "survivor_not_member": QT_TRANSLATE_NOOP("messages", "保留的记录不在这组疑似重复人员中。"),
    "bad_field_choices": QT_TRANSLATE_NOOP("messages", "字段选择无效：{fields}"),
    "person_not_member": QT_TRANSLATE_NOOP("messages", "人员 {person_id} 不在这组记录中。"),
    "no_conflict": QT_TRANSLATE_NOOP("messages", "这个任务没有需要处理的冲突。"),
    "conflict_choices_missing": QT_TRANSLATE_NOOP("messages", "请为每个冲突字段选择保留哪个值：{fields}"),
    "op_in_flight": QT_TRANSLATE_NOOP("messages", "这项修改已发送，正在等待服务器确认，请先同步后再放弃。"),
    "case_removed": QT_TRANSLATE_NOOP("messages", "这个任务已被收回或改派，不能再修改；可以导出或放弃本机修改。"),
    # The local store (client.store.errors).
    "store_error": QT_TRANSLATE_NOOP("messages", "本地数据库出错。"),
    "store_wrong_key": QT_TRANSLATE_NOOP("messages", "数据库密码不正确：无法用此密钥打开本地数据库。请确认登录的用户和密码。"),
    "store_not_a_database": QT_TRANSLATE_NOOP("messages", "本地数据库文件已损坏或不是本程序的数据库，无法打开。"),
    "store_unencrypted": QT_TRANSLATE_NOOP("messages", "本地数据库文件未加密，不是本程序创建的数据库，已拒绝打开。"),
    "store_corrupt": QT_TRANSLATE_NOOP("messages", "本地数据库已损坏（完整性检查未通过）。请联系技术支持，不要删除该文件。"),
    "store_schema_too_new": QT_TRANSLATE_NOOP("messages", "本地数据库由更新版本的程序创建，请升级核查工作台后再打开。"),
    "store_disk_full": QT_TRANSLATE_NOOP("messages", "磁盘空间不足，本次修改没有保存。请清理磁盘后重试。"),
    "store_write_failed": QT_TRANSLATE_NOOP("messages", "本地数据库写入失败，本次修改没有保存。"),
    "store_busy": QT_TRANSLATE_NOOP("messages", "本地数据库正被另一个程序占用，请关闭其他核查工作台窗口后重试。"),
    "store_open_failed": QT_TRANSLATE_NOOP("messages", "本地数据库无法打开：{reason}"),
    "store_closed": QT_TRANSLATE_NOOP("messages", "本地数据库已关闭。"),
    # Training and real data never mix (client.training).
    "training_store_refused": QT_TRANSLATE_NOOP("messages", "这是培训模式的练习数据，不能同步到正式服务器（{server}）。培训中的修改只能上传到培训服务器；正式工作请用正式账号重新登录。"),
    "real_store_refused": QT_TRANSLATE_NOOP("messages", "本机的正式工作数据不能同步到培训服务器（{server}）。培训请使用「hecha demo」或培训专用的数据目录。"),
}

# Pieces of the texts above: a refused save's summary, the server's own reasons, request ids.
NOT_VALIDATED = QT_TRANSLATE_NOOP("messages", "数据未通过校验")
NEEDS_REASON = QT_TRANSLATE_NOOP("messages", "{finding}（如确认无误，请填写原因）")
PASSWORD_REJECTED_BECAUSE = QT_TRANSLATE_NOOP("messages", "新密码不符合要求：{detail}")
REQUEST_ID = QT_TRANSLATE_NOOP("messages", "（请求编号 {request_id}）")


def template_for(code: str, params: Mapping[str, Any] | None = None) -> str | None:
    """The source text of a code (its `reason` variant when there is one); None if unknown."""
    reason = (params or {}).get("reason")
    if reason:
        variant = MESSAGES.get(f"{code}.{reason}")
        if variant is not None:
            return variant
    return MESSAGES.get(code)


def message(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The Chinese text for a code with its params (the generic one for an unknown code)."""
    return fill(template_for(code, params) or MESSAGES["error"], params)
