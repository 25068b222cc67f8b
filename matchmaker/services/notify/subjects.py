"""What each notification says: a stable key stored with the row, its sentence looked up when it is shown."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

SUBJECTS = {
    "posting_published": _l("您发布的“%(title)s”已审核通过并公开。"),
    "posting_rejected": _l("您发布的“%(title)s”被退回：%(reason)s"),
    "contact_submitted": _l("%(org)s 对“%(title)s”提交了对接申请，等待审核。"),
    "contact_received": _l("%(org)s 希望与您就“%(title)s”对接。"),
    "contact_approved": _l("您对“%(title)s”的对接申请已通过审核，等待对方答复。"),
    "contact_declined": _l("您对“%(title)s”的对接申请未通过审核：%(reason)s"),
    "contact_accepted": _l("对方同意了您对“%(title)s”的对接申请，双方联系方式已公开。"),
    "contact_accepted_owner": _l("您已同意 %(org)s 的对接申请，双方联系方式已公开。"),
    "contact_refused": _l("对方婉拒了您对“%(title)s”的对接申请。"),
    "contact_withdrawn": _l("%(org)s 撤回了对“%(title)s”的对接申请。"),
    "contact_expiring": _l("关于“%(title)s”的对接申请将于 %(due)s 到期，请尽快处理。"),
    "contact_expired": _l("关于“%(title)s”的对接申请已过期未处理。"),
    "org_pending": _l("新单位“%(org)s”等待认证。"),
    "org_verified": _l("您的单位“%(org)s”已通过认证。"),
    "org_rejected": _l("您的单位“%(org)s”未通过认证：%(reason)s"),
    "org_changes": _l("请修改单位“%(org)s”的信息后重新提交认证：%(reason)s"),
    "join_requested": _l("%(user)s 申请加入单位“%(org)s”。"),
    "join_approved": _l("您加入单位“%(org)s”的申请已通过。"),
    "join_rejected": _l("您加入单位“%(org)s”的申请未通过。"),
    "intent_status": _l("合作意向“%(title)s”的状态变为：%(status)s"),
    "event_invited": _l("贵单位“%(org)s”受邀参加对接活动“%(event)s”（%(when)s，%(place)s）。"),
    "stale_intents": _l("有 %(n)s 个合作意向超过 %(days)s 天未跟进。"),
    "match_alert": _l("您订阅的“%(subscription)s”有新匹配：%(title)s（匹配度 %(score)s）"),
    "meeting_requested": _l("%(org)s 希望在“%(event)s”与贵单位约见（%(title)s）。"),
    "meeting_accepted": _l("%(to)s 同意了您在“%(event)s”的约见（%(title)s），将排入洽谈日程。"),
    "meeting_declined": _l("%(to)s 婉拒了您在“%(event)s”的约见（%(title)s）。"),
    "meeting_withdrawn": _l("%(org)s 撤回了在“%(event)s”的约见（%(title)s）。"),
    "meeting_outcomes_missing": _l("有 %(n)s 场洽谈在活动结束 %(days)s 天后仍未记录结果。"),
}
"""key -> sentence with %(name)s placeholders; the key is what the notification row stores."""
