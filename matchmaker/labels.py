"""Display labels of the stored codes, translated at render time."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

ORG_KIND = {"university": _l("高校"), "institute": _l("科研院所"), "company": _l("企业"), "bureau": _l("科技局")}
ROLE = {"researcher": _l("科研人员"), "company": _l("企业用户"), "staff": _l("科技局工作人员"), "admin": _l("管理员")}
STATUS = {"draft": _l("草稿"), "pending": _l("待审核"), "published": _l("已发布"), "rejected": _l("已退回"),
          "withdrawn": _l("已撤回"), "transferred": _l("已转化")}
MODE = {"transfer": _l("转让"), "license": _l("许可"), "equity": _l("作价投资"), "joint": _l("合作实施"),
        "service": _l("技术服务")}
STAGE = {"research": _l("研发阶段"), "small_trial": _l("小试阶段"), "pilot": _l("中试阶段"),
         "small_batch": _l("小批量生产"), "industrial": _l("产业化")}
IP_TYPE = {"invention": _l("发明专利"), "utility": _l("实用新型专利"), "design": _l("外观设计专利"),
           "software": _l("软件著作权"), "know_how": _l("技术秘密"), "none": _l("无")}
NEED_TYPE = {"rd": _l("联合研发/技术攻关"), "acquire": _l("成果引进"), "process": _l("工艺改进"),
             "testing": _l("检测与咨询"), "talent": _l("人才与团队")}
EVENT_TYPE = {"roadshow": _l("路演"), "matchmaking": _l("对接会"), "campus": _l("名校直通车"), "auction": _l("竞价")}
EVENT_STATUS = {"planned": _l("筹备中"), "held": _l("已举办"), "cancelled": _l("已取消")}
INVITATION_STATUS = {"invited": _l("已邀请"), "pending": _l("待审核"), "waitlisted": _l("候补"),
                     "registered": _l("已报名"), "attended": _l("已签到"), "declined": _l("已婉拒"),
                     "rejected": _l("未通过"), "cancelled": _l("已撤销")}
MEETING_OUTCOME = {"none": _l("未记录"), "no_interest": _l("无意向"), "follow_up": _l("继续跟进"),
                   "intent": _l("达成意向")}
INTENT_STATUS = {"open": _l("新建"), "negotiating": _l("洽谈中"), "signed": _l("已签约"), "dropped": _l("已放弃")}
CONTRACT_TYPE = {"development": _l("技术开发"), "transfer": _l("技术转让"), "license": _l("技术许可"),
                 "consulting": _l("技术咨询"), "service": _l("技术服务")}
GOAL_METRIC = {"events": _l("对接活动"), "transfers": _l("在本地转移转化"), "results": _l("汇聚成果"),
               "firms": _l("覆盖企业"), "intents": _l("合作意向")}
CONTACT_STATUS = {"submitted": _l("待审核"), "approved": _l("待对方答复"), "declined": _l("未通过审核"),
                  "refused": _l("对方已婉拒"), "revealed": _l("已对接"), "withdrawn": _l("已撤回"),
                  "expired": _l("已过期")}
ORG_STATUS = {"pending": _l("待认证"), "verified": _l("已认证"), "changes_requested": _l("待修改"),
              "rejected": _l("未通过认证")}
MEETING_REQUEST_STATUS = {"requested": _l("待对方答复"), "accepted": _l("已约定"), "declined": _l("对方已婉拒"),
                          "withdrawn": _l("已撤回")}
MEMBER_STATUS = {"pending": _l("待批准"), "active": _l("已加入"), "rejected": _l("未批准")}
MEMBER_ROLE = {"member": _l("成员"), "manager": _l("单位管理员")}
NOTIFICATION_KIND = {
    "posting_reviewed": _l("发布内容的审核结果"), "contact_received": _l("收到对接申请"),
    "contact_decided": _l("对接申请的处理结果"), "contact_accepted": _l("对接成功、联系方式公开"),
    "contact_expiring": _l("对接申请即将过期或已过期"),
    "org_verification": _l("单位认证申请（工作人员）"), "org_reviewed": _l("单位认证结果"),
    "join_requested": _l("加入单位的申请"), "join_decided": _l("加入单位申请的结果"),
    "intent_status": _l("合作意向状态变化"), "event_invitation": _l("对接活动邀请"),
    "stale_intents": _l("长期未跟进的合作意向（工作人员）"),
    "match_alert": _l("订阅的新匹配提醒"),
    "event_registration": _l("活动报名的处理结果"), "event_confirmed": _l("活动报名确认（含签到二维码）"),
    "event_reminder": _l("活动前一天的日程提醒"),
    "meeting_request": _l("活动约见及答复"), "meeting_outcomes": _l("待补录的洽谈结果（工作人员）"),
}
DIGEST_FREQUENCY = {"immediate": _l("每条提醒即时发送"), "daily": _l("每日汇总"), "weekly": _l("每周汇总"),
                    "off": _l("不发送邮件")}
POSTING_KIND = {"result": _l("科技成果"), "need": _l("技术需求")}
SUBSCRIPTION_KIND = {"search": _l("搜索订阅"), "posting": _l("新匹配提醒")}
TOKEN_SCOPE = {"read": _l("只读"), "write": _l("读写")}
TRL = {i: str(i) for i in range(1, 10)}

# Audit log labels have their own msgctxt ("audit"), so 退回 the record reads "Rejected", not the button's "Reject".
AUDIT_ACTION = {
    "create": _lp("audit", "新建"), "update": _lp("audit", "修改"), "submit": _lp("audit", "提交审核"),
    "publish": _lp("audit", "审核通过"), "reject": _lp("audit", "退回"), "withdraw": _lp("audit", "撤回"),
    "transfer": _lp("audit", "登记转化"), "set_status": _lp("audit", "改变状态"), "login": _lp("audit", "登录"),
    "login_failed": _lp("audit", "登录失败"), "logout": _lp("audit", "退出登录"), "lock": _lp("audit", "锁定账号"),
    "register": _lp("audit", "注册"), "create_user": _lp("audit", "创建账号"), "disable": _lp("audit", "停用账号"),
    "role_change": _lp("audit", "变更角色"), "create_token": _lp("audit", "创建 API 令牌"),
    "revoke_token": _lp("audit", "吊销 API 令牌"), "import": _lp("audit", "导入"),
    "add_note": _lp("audit", "添加跟进记录"), "build_agenda": _lp("audit", "生成日程"),
    "move_meeting": _lp("audit", "调整洽谈"), "remove_meeting": _lp("audit", "删除洽谈"),
    "meeting_outcome": _lp("audit", "记录洽谈结果"), "invitation_status": _lp("audit", "变更参会状态"),
    "register_event": _lp("audit", "活动报名"), "decline_invitation": _lp("audit", "婉拒活动邀请"),
    "approve_registration": _lp("audit", "通过活动报名"), "decline_registration": _lp("audit", "拒绝活动报名"),
    "cancel_registration": _lp("audit", "撤销活动报名"), "promote_registration": _lp("audit", "候补转正"),
    "walk_in": _lp("audit", "现场加入活动"), "remind_events": _lp("audit", "发送活动提醒"),
    "uninvite": _lp("audit", "取消邀请"), "unpresent_result": _lp("audit", "移出展示成果"),
    "update_lists": _lp("audit", "更新活动名单"), "override_local": _lp("audit", "人工认定本地"),
    "set_target": _lp("audit", "设置目标"), "match_feedback": _lp("audit", "匹配反馈"),
    "subscribe": _lp("audit", "订阅"), "unsubscribe": _lp("audit", "退订"),
    "delete_subscription": _lp("audit", "删除订阅"), "set_digest": _lp("audit", "设置邮件汇总"),
    "send_digests": _lp("audit", "发送订阅汇总邮件"),
    # 约见 (meeting requests at events) and the outcomes participants record
    "request_meeting": _lp("audit", "发起约见"), "accepted_meeting_request": _lp("audit", "同意约见"),
    "declined_meeting_request": _lp("audit", "婉拒约见"), "withdraw_meeting_request": _lp("audit", "撤回约见"),
    "remind_meeting_outcomes": _lp("audit", "提醒补录洽谈结果"),
}
ENTITY_TYPE = {
    "result": _lp("audit", "科技成果"), "need": _lp("audit", "技术需求"), "organization": _lp("audit", "单位"),
    "user_account": _lp("audit", "用户"), "api_token": _lp("audit", "API 令牌"), "event": _lp("audit", "对接活动"),
    "meeting": _lp("audit", "一对一洽谈"), "invitation": _lp("audit", "活动邀请"),
    "event_result": _lp("audit", "展示成果"), "intent": _lp("audit", "合作意向"),
    "intent_note": _lp("audit", "跟进记录"), "transfer": _lp("audit", "成果转化"), "goal": _lp("audit", "年度目标"),
    "chain": _lp("audit", "产业链"), "match_feedback": _lp("audit", "匹配反馈"), "system": _lp("audit", "系统"),
    "subscription": _lp("audit", "订阅"), "digest_setting": _lp("audit", "邮件汇总设置"),
    "meeting_request": _lp("audit", "约见"),
}

ALL: dict[str, dict[Any, Any]] = {
    "org_kind": ORG_KIND, "role": ROLE, "status": STATUS, "mode": MODE, "stage": STAGE, "ip_type": IP_TYPE,
    "need_type": NEED_TYPE, "event_type": EVENT_TYPE, "event_status": EVENT_STATUS,
    "invitation_status": INVITATION_STATUS, "meeting_outcome": MEETING_OUTCOME, "intent_status": INTENT_STATUS,
    "contract_type": CONTRACT_TYPE, "goal_metric": GOAL_METRIC, "token_scope": TOKEN_SCOPE,
    "audit_action": AUDIT_ACTION, "entity_type": ENTITY_TYPE, "contact_status": CONTACT_STATUS,
    "org_status": ORG_STATUS, "member_status": MEMBER_STATUS, "member_role": MEMBER_ROLE,
    "notification_kind": NOTIFICATION_KIND,
    "digest_frequency": DIGEST_FREQUENCY,
    "subscription_kind": SUBSCRIPTION_KIND,
    "posting_kind": POSTING_KIND,
    "meeting_request_status": MEETING_REQUEST_STATUS,
}


def label(group: str, code: Any) -> str:
    """The label of `code` in `group`, or the code itself when unknown."""
    return str(ALL.get(group, {}).get(code, code if code is not None else ""))


def joined(group: str, codes: Any) -> str:
    """Labels of several codes as one phrase: 许可、转让 in Chinese, "Licensing, Transfer" in English."""
    return _("、").join(label(group, c) for c in codes)


def options(group: str) -> list[tuple[str, str]]:
    """(code, label) pairs for a select box."""
    return [(code, str(text)) for code, text in ALL[group].items()]


def wan(value: Decimal | float | None, negotiable: str | None = None) -> str:
    """12.50 -> '12.5 万元'; None -> 面议."""
    if value is None:
        return negotiable or _("面议")
    text = f"{Decimal(value):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return _("%(v)s 万元", v=text)
