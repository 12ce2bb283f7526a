"""Message codes from client/ and sync/ turned into the worker's words (Chinese source, Linguist).

client/ returns stable codes with parameters; this table is where they become text. Codes not in
the table fall back to the message the domain attached (already Chinese), then to the code itself.
"""

from __future__ import annotations

import logging
import string
from typing import Any, Mapping

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from client.domain.models import Finding

log = logging.getLogger(__name__)

CONTEXT = "messages"

# Templates use str.format names matching the code's params. Keep the tone: what happened, then
# what to do.
TEMPLATES: dict[str, str] = {
    # Network and sync (the codes of sync/client/errors.py and SYNC_PROTOCOL.md problem codes).
    "offline": QT_TRANSLATE_NOOP("messages", "无法连接服务器：请检查VPN是否已连接。您的修改已保存在本机，连接恢复后会自动上传。"),
    "timeout": QT_TRANSLATE_NOOP("messages", "服务器长时间没有响应：网络可能很慢或不稳定。您的修改已保存在本机，稍后会自动重试。"),
    "connection_lost": QT_TRANSLATE_NOOP("messages", "与服务器的连接中断：网络不稳定。您的修改已保存在本机，稍后会自动重试。"),
    "certificate": QT_TRANSLATE_NOOP("messages", "服务器证书校验失败：连接可能不安全，已停止同步。请检查电脑的日期时间，或联系县里的管理员确认服务器地址和证书文件（CA）设置。"),
    "insecure_server": QT_TRANSLATE_NOOP("messages", "服务器地址必须以 https:// 开头：只有本机可以用 http://，否则密码会以明文在网络上传送。请向县里的系统管理员确认服务器地址。"),
    "account_disabled": QT_TRANSLATE_NOOP("messages", "账号已停用：请联系县里的系统管理员。本机数据已锁定，不能再离线打开；尚未上传的修改仍加密保存在本机。"),
    "account_locked": QT_TRANSLATE_NOOP("messages", "密码错误次数过多，账号已暂时锁定：请稍后再试，或联系系统管理员。"),
    "password_expired": QT_TRANSLATE_NOOP("messages", "密码已过期：请先修改密码。"),
    "password_rejected": QT_TRANSLATE_NOOP("messages", "新密码不符合要求：至少 8 位，包含大写字母、小写字母、数字、符号中的至少三类，不能包含用户名，不能与最近 5 次的密码相同。"),
    "certificate_mismatch": QT_TRANSLATE_NOOP("messages", "数字证书与账号不符：请选择本人的证书（.p12/.pfx）后重新登录。"),
    "certificate_file": QT_TRANSLATE_NOOP("messages", "数字证书文件无法打开：请检查证书口令是否正确，或重新选择证书文件（.p12/.pfx）。"),
    "offline_unlock_refused": QT_TRANSLATE_NOOP("messages", "不能离线打开本机数据（账号已停用、超过离线期限、本机时间被调回或锁屏密码错误次数过多）：请在联网时登录。"),
    "server_error": QT_TRANSLATE_NOOP("messages", "服务器暂时出现故障（错误 {status_code}）。您的修改已保存在本机，稍后会自动重试；如果持续出现，请联系管理员。"),
    "server_busy": QT_TRANSLATE_NOOP("messages", "服务器正忙，请稍候，程序会自动重试。"),
    "bad_request": QT_TRANSLATE_NOOP("messages", "服务器拒绝了请求（错误 {status_code}）。您的修改已保存在本机，请联系县里的管理员。"),
    "payload_too_large": QT_TRANSLATE_NOOP("messages", "一次上传的数据过多，程序会自动分批重试。"),
    "auth_expired": QT_TRANSLATE_NOOP("messages", "登录已过期：请重新输入密码登录。您的修改不会丢失。"),
    "login_failed": QT_TRANSLATE_NOOP("messages", "用户名或密码不正确，请检查后重新输入（注意大小写和输入法）。"),
    "wrong_password": QT_TRANSLATE_NOOP("messages", "密码不正确，无法打开本机数据。请输入您上次在本机登录时使用的密码。"),
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
    # Training and real data never mix (client.training).
    "training_store_refused": QT_TRANSLATE_NOOP("messages", "这是培训模式的练习数据，不能同步到正式服务器（{server}）。培训中的修改只能上传到培训服务器；正式工作请用正式账号重新登录。"),
    "real_store_refused": QT_TRANSLATE_NOOP("messages", "本机的正式工作数据不能同步到培训服务器（{server}）。培训请使用「hecha demo」或培训专用的数据目录。"),
}


class _Params(dict):
    def __missing__(self, key):  # a missing parameter shows as "?" instead of crashing
        return "?"


def format_template(template: str, params: Mapping[str, Any] | None) -> str:
    try:
        return string.Formatter().vformat(template, (), _Params(params or {}))
    except (ValueError, IndexError, AttributeError) as exc:
        log.warning("bad message template %r: %s", template, exc)
        return template


def render(code: str, params: Mapping[str, Any] | None = None, fallback: str | None = None) -> str:
    """The text for a message code: translated template, else the domain's message, else code."""
    template = TEMPLATES.get(code)
    if template is not None:
        return format_template(QCoreApplication.translate(CONTEXT, template), params)
    if fallback:
        return fallback
    return code


def refused_summary(errors: list, warnings: list) -> str:
    """What a refused save lacks: each error, then each warning that needs a reason."""
    parts = [finding_text(f) for f in errors]
    parts += [QCoreApplication.translate("messages", "{finding}（如确认无误，请填写原因）").format(
        finding=finding_text(f)) for f in warnings]
    return "；".join(parts) or QCoreApplication.translate("messages", "数据未通过校验")


RULES = "rules"
"""The catalogue context of the core's rule words (client/domain/messages.py, rule descriptions)."""


def field_name(field: str) -> str:
    """A record field's name in the worker's language."""
    from client.domain.messages import field_label
    return QCoreApplication.translate(RULES, field_label(field))


def rule_description(code: str) -> str:
    """What a rule checks, in the worker's language (the code itself for an unknown rule)."""
    from client.domain.rules import RULES_BY_CODE
    rule = RULES_BY_CODE.get(code)
    return QCoreApplication.translate(RULES, rule.description) if rule is not None else code


def rule_text(code: str, params: Mapping[str, Any] | None, fallback: str | None = None) -> str:
    """A rule finding (or duplicate reason) in the worker's language, from its code and params:
    the core's template and the words in its params (field names, sex, levels) translated."""
    from client.domain.messages import template
    source = template(code)
    if source is None:
        return fallback or QCoreApplication.translate("messages", "未通过检查（{code}）").format(code=code)
    words = {k: QCoreApplication.translate(RULES, v) if isinstance(v, str) and v else
             ("" if v is None else v) for k, v in (params or {}).items()}
    return format_template(QCoreApplication.translate(RULES, source), words)


def finding_text(finding: Finding | Mapping[str, Any]) -> str:
    """The text of a rule Finding (object or dict with code/params), never the core's message
    (Chinese) when the code is known."""
    if isinstance(finding, Finding):
        return rule_text(finding.code, finding.params or {}, finding.message or None)
    return rule_text(finding.get("code", "") or "", finding.get("params") or {},
                     finding.get("message") or None)
