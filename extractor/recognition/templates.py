"""The official templates as data.

Everything the parser knows about a template year lives here: table keys
and titles, row and column keys with their official labels, the patterns
that recognise them, which (row, column) cells exist, and the words that
tell the templates apart. A new template is a new entry in :data:`TEMPLATES`.

Patterns are compared with :func:`extractor.normalize.core` of a label
(numbering, punctuation and whitespace removed): a pattern matches a label
whose core *contains* it; a pattern written ``=X`` must equal the core.

>>> spec = TEMPLATES["2021"]["applications"]
>>> spec.rows[0].key, spec.rows[0].label
('new_received', '一、本年新收政府信息公开申请数量')
>>> len(spec.cells())
175
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

SCHEMA_VERSION = "1.0"

#: Table keys and the official section titles they sit under.
TABLE_TITLES = {
    "active_disclosure": "二、主动公开政府信息情况",
    "applications": "三、收到和处理政府信息公开申请情况",
    "review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
}


@dataclass(frozen=True)
class Key:
    """A row or column of a template table."""

    key: str
    label: str
    patterns: tuple[str, ...]


@dataclass(frozen=True)
class TableSpec:
    """One statistics table of one template."""

    name: str
    rows: tuple[Key, ...]
    columns: tuple[Key, ...]
    #: row key -> the column keys that exist in that row (default: all columns)
    row_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: words that appear in header rows besides the column labels
    header_words: tuple[str, ...] = ()

    def cells(self) -> list[tuple[Key, Key]]:
        """Every (row, column) cell of the table, in print order."""
        return list(self.cell_tuple)

    @cached_property
    def cell_tuple(self) -> tuple[tuple[Key, Key], ...]:
        """:meth:`cells`, computed once."""
        cols = {c.key: c for c in self.columns}
        out = []
        for row in self.rows:
            for ck in self.row_columns.get(row.key, tuple(cols)):
                out.append((row, cols[ck]))
        return tuple(out)

    @cached_property
    def cell_keys(self) -> frozenset[tuple[str, str]]:
        """The (row key, column key) pairs of :meth:`cells`."""
        return frozenset((r.key, c.key) for r, c in self.cell_tuple)

    @cached_property
    def row_index(self) -> dict[str, int]:
        """Row key -> its place in the official order."""
        return {r.key: i for i, r in enumerate(self.rows)}

    @cached_property
    def column_index(self) -> dict[str, int]:
        """Column key -> its place in the official order."""
        return {c.key: i for i, c in enumerate(self.columns)}

    def row(self, key: str) -> Key:
        return next(r for r in self.rows if r.key == key)

    def column(self, key: str) -> Key:
        return next(c for c in self.columns if c.key == key)


def K(key: str, label: str, *patterns: str) -> Key:
    return Key(key, label, patterns)


# ------------------------------------------------------------------ 三 (both years)

APPLICANT_COLUMNS = (
    K("natural_person", "自然人", "自然人"),
    K("commercial", "法人或其他组织 / 商业企业", "商业企业"),
    K("research", "法人或其他组织 / 科研机构", "科研机构"),
    K("social_welfare", "法人或其他组织 / 社会公益组织", "社会公益组织", "公益组织"),
    K("legal_service", "法人或其他组织 / 法律服务机构", "法律服务机构"),
    K("other_org", "法人或其他组织 / 其他", "=其他", "=其他组织", "=法人或其他组织其他"),
    K("total", "总计", "总计", "=合计"),
)

_APP_HEAD = (
    K("new_received", "一、本年新收政府信息公开申请数量", "本年新收", "新收政府信息公开申请"),
    K("carried_over", "二、上年结转政府信息公开申请数量", "上年结转"),
    K("granted", "三、（一）予以公开", "予以公开"),
    K("partly_granted", "三、（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "部分公开"),
    K("denied.state_secret", "（三）不予公开 1.属于国家秘密", "国家秘密"),
    K("denied.prohibited_by_law", "（三）2.其他法律行政法规禁止公开", "法律行政法规禁止公开", "法律法规禁止公开",
      "其他法律行政"),  # printed with words dropped: 其他法律行政止公开 (洪泽区 2023, 2024)
    K("denied.security_stability", "（三）3.危及“三安全一稳定”", "三安全一稳定"),
    K("denied.third_party_rights", "（三）4.保护第三方合法权益", "第三方合法权益"),
    K("denied.internal_affairs", "（三）5.属于三类内部事务信息", "内部事务信息"),
    K("denied.process_info", "（三）6.属于四类过程性信息", "过程性信息"),
    K("denied.enforcement_file", "（三）7.属于行政执法案卷", "行政执法案卷"),
    K("denied.query_service", "（三）8.属于行政查询事项", "行政查询事项"),
    K("unable.not_held", "（四）无法提供 1.本机关不掌握相关政府信息", "不掌握相关政府信息", "本机关不掌握"),
    K("unable.needs_creation", "（四）2.没有现成信息需要另行制作", "另行制作"),
    K("unable.unclear", "（四）3.补正后申请内容仍不明确", "仍不明确"),
    K("rejected.complaint", "（五）不予处理 1.信访举报投诉类申请", "信访举报投诉"),
    K("rejected.duplicate", "（五）2.重复申请", "=重复申请"),
    K("rejected.publication", "（五）3.要求提供公开出版物", "公开出版物"),
    K("rejected.excessive", "（五）4.无正当理由大量反复申请", "大量反复申请"),
    K("rejected.confirmation", "（五）5.要求行政机关确认或重新出具已获取信息", "确认或重新出具"),
)
_APP_TAIL = (
    K("total_processed", "（七）总计", "总计", "=合计"),
    K("carried_forward", "四、结转下年度继续办理", "结转下年度"),
)
_APP_HEADER_WORDS = ("申请人情况", "法人或其他组织", "本列数据的勾稽关系")

APPLICATIONS_2021 = TableSpec(
    "applications",
    _APP_HEAD
    + (
        K("other.no_correction", "（六）1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "逾期不补正"),
        K("other.unpaid_fee", "（六）2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "缴纳费用"),
        K("other.misc", "（六）3.其他", "=其他"),
    )
    + _APP_TAIL,
    APPLICANT_COLUMNS,
    header_words=_APP_HEADER_WORDS,
)
APPLICATIONS_2019 = TableSpec(
    "applications",
    _APP_HEAD + (K("other", "（六）其他处理", "其他处理", "=其他"),) + _APP_TAIL,
    APPLICANT_COLUMNS,
    header_words=_APP_HEADER_WORDS,
)

# ------------------------------------------------------------------ 四 (both years)

REVIEW_LITIGATION = TableSpec(
    "review_litigation",
    (
        K("review", "行政复议", "行政复议"),
        K("litigation_direct", "行政诉讼 / 未经复议直接起诉", "未经复议直接起诉", "直接起诉"),
        K("litigation_after_review", "行政诉讼 / 复议后起诉", "复议后起诉"),
    ),
    (
        K("upheld", "结果维持", "结果维持", "=维持"),
        K("corrected", "结果纠正", "结果纠正", "=纠正"),
        K("other", "其他结果", "其他结果", "=其他"),
        K("pending", "尚未审结", "尚未审结", "未审结"),
        K("total", "总计", "总计", "=合计"),
    ),
    header_words=("行政复议", "行政诉讼"),
)

# ------------------------------------------------------------------ 二

_AD_HEADER = ("信息内容", "第二十条")

ACTIVE_2021 = TableSpec(
    "active_disclosure",
    (
        K("rules", "规章", "=规章", "规章"),
        K("normative_docs", "行政规范性文件", "规范性文件"),
        K("licensing", "行政许可", "行政许可"),
        K("punishment", "行政处罚", "行政处罚"),
        K("coercion", "行政强制", "行政强制"),
        K("fees", "行政事业性收费", "行政事业性收费"),
    ),
    (
        K("issued", "本年制发件数", "本年制发件数", "制发件数"),
        K("repealed", "本年废止件数", "本年废止件数", "废止件数"),
        K("in_force", "现行有效件数", "现行有效件数", "现行有效"),
        K("decisions", "本年处理决定数量", "处理决定数量"),
        K("amount_10k_yuan", "本年收费金额（单位：万元）", "收费金额"),
    ),
    row_columns={
        "rules": ("issued", "repealed", "in_force"),
        "normative_docs": ("issued", "repealed", "in_force"),
        "licensing": ("decisions",),
        "punishment": ("decisions",),
        "coercion": ("decisions",),
        "fees": ("amount_10k_yuan",),
    },
    header_words=_AD_HEADER,
)

_ITEMS = ("items_prev_year", "items_change", "decisions")
ACTIVE_2019 = TableSpec(
    "active_disclosure",
    (
        K("rules", "规章", "=规章", "规章"),
        K("normative_docs", "规范性文件", "规范性文件"),
        K("licensing", "行政许可", "行政许可"),
        K("other_services", "其他对外管理服务事项", "其他对外管理服务事项", "对外管理服务事项"),
        K("punishment", "行政处罚", "行政处罚"),
        K("coercion", "行政强制", "行政强制"),
        K("fees", "行政事业性收费", "行政事业性收费"),
        K("procurement", "政府集中采购", "政府集中采购", "集中采购"),
    ),
    (
        K("made", "本年新制作数量", "本年新制作数量", "新制作数量"),
        K("published", "本年新公开数量", "本年新公开数量", "新公开数量"),
        K("total_published", "对外公开总数量", "对外公开总数量", "公开总数量"),
        K("items_prev_year", "上一年项目数量", "上一年项目数量", "上年项目数量"),
        K("items_change", "本年增/减", "本年增减", "增减"),
        K("decisions", "处理决定数量", "处理决定数量"),
        K("procurement_items", "采购项目数量", "采购项目数量"),
        K("procurement_amount_10k_yuan", "采购总金额", "采购总金额"),
    ),
    row_columns={
        "rules": ("made", "published", "total_published"),
        "normative_docs": ("made", "published", "total_published"),
        "licensing": _ITEMS,
        "other_services": _ITEMS,
        "punishment": _ITEMS,
        "coercion": _ITEMS,
        "fees": ("items_prev_year", "items_change"),
        "procurement": ("procurement_items", "procurement_amount_10k_yuan"),
    },
    header_words=_AD_HEADER,
)

#: template year -> table key -> spec
TEMPLATES: dict[str, dict[str, TableSpec]] = {
    "2021": {"active_disclosure": ACTIVE_2021, "applications": APPLICATIONS_2021, "review_litigation": REVIEW_LITIGATION},
    "2019": {"active_disclosure": ACTIVE_2019, "applications": APPLICATIONS_2019, "review_litigation": REVIEW_LITIGATION},
}

#: Words whose presence in the statistics tables identifies a template
#: (format.md §0), strongest first.
TEMPLATE_MARKERS: dict[str, tuple[str, ...]] = {
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "逾期不补正", "缴纳费用"),
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "采购总金额", "采购项目数量", "其他对外管理服务事项"),
}

#: Words that identify which statistics table a document table is; a table
#: is of a kind when at least ``min`` of its words occur in it.
TABLE_SIGNATURES: dict[str, tuple[int, tuple[str, ...]]] = {
    "active_disclosure": (3, ("第二十条", "信息内容", "规章", "规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费", "制发件数", "新制作数量", "处理决定数量")),
    "applications": (4, ("本年新收", "上年结转", "予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "结转下年度", "自然人", "申请人情况", "商业企业", "法律服务机构")),
    "review_litigation": (3, ("行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "直接起诉", "复议后起诉")),
}

#: Words printed for one another in labels, replaced (left → right) in
#: both a printed label and a template label before they are compared by
#: similarity (:func:`extractor.recognition.matching.similarity`).
SYNONYMS: tuple[tuple[str, str], ...] = (
    ("或者", "或"),
    ("以及", "和"),
    ("及其", "及"),
    ("其它", "其他"),
    ("的", ""),
)

#: Value-bearing cells whose numbers are money (万元) rather than counts.
MONEY_COLUMNS = frozenset({"amount_10k_yuan", "procurement_amount_10k_yuan"})
#: Cells whose value may be negative (本年增/减).
SIGNED_COLUMNS = frozenset({"items_change"})

# ------------------------------------------------------------------ codebook data

#: English labels of the rows and columns, per table (the same key may mean
#: different things in two tables: ``other`` is a row of 三, a column of 四).
ENGLISH: dict[str, dict[str, dict[str, str]]] = {
    "active_disclosure": {
        "rows": {
            "rules": "Rules (regulations of the agency)", "normative_docs": "(Administrative) normative documents",
            "licensing": "Administrative licensing", "other_services": "Other external management services",
            "punishment": "Administrative punishment", "coercion": "Administrative coercion",
            "fees": "Administrative fees", "procurement": "Centralised government procurement",
        },
        "columns": {
            "issued": "Issued this year", "repealed": "Repealed this year", "in_force": "In force",
            "decisions": "Decisions this year", "amount_10k_yuan": "Fees collected this year (10,000 yuan)",
            "made": "Newly made this year", "published": "Newly published this year",
            "total_published": "Published in total", "items_prev_year": "Items in the previous year",
            "items_change": "Change in items this year", "procurement_items": "Procurement projects",
            "procurement_amount_10k_yuan": "Procurement amount (10,000 yuan)",
        },
    },
    "applications": {
        "rows": {
            "new_received": "I. Applications received this year", "carried_over": "II. Carried over from last year",
            "granted": "III.1 Disclosed", "partly_granted": "III.2 Partly disclosed",
            "denied.state_secret": "III.3.1 Not disclosed: state secret",
            "denied.prohibited_by_law": "III.3.2 Not disclosed: prohibited by other laws",
            "denied.security_stability": "III.3.3 Not disclosed: security and stability",
            "denied.third_party_rights": "III.3.4 Not disclosed: third-party rights",
            "denied.internal_affairs": "III.3.5 Not disclosed: internal affairs",
            "denied.process_info": "III.3.6 Not disclosed: process information",
            "denied.enforcement_file": "III.3.7 Not disclosed: enforcement files",
            "denied.query_service": "III.3.8 Not disclosed: administrative query matter",
            "unable.not_held": "III.4.1 Cannot provide: not held by the agency",
            "unable.needs_creation": "III.4.2 Cannot provide: would have to be created",
            "unable.unclear": "III.4.3 Cannot provide: still unclear after correction",
            "rejected.complaint": "III.5.1 Not handled: petition, report or complaint",
            "rejected.duplicate": "III.5.2 Not handled: repeated application",
            "rejected.publication": "III.5.3 Not handled: asks for a publication",
            "rejected.excessive": "III.5.4 Not handled: many repeated applications without reason",
            "rejected.confirmation": "III.5.5 Not handled: asks to confirm or reissue information",
            "other.no_correction": "III.6.1 Other: no correction in time",
            "other.unpaid_fee": "III.6.2 Other: fee not paid in time",
            "other.misc": "III.6.3 Other: other",
            "other": "III.6 Other handling",
            "total_processed": "III.7 Total handled", "carried_forward": "IV. Carried forward to next year",
        },
        "columns": {
            "natural_person": "Natural persons", "commercial": "Legal persons: businesses",
            "research": "Legal persons: research institutions", "social_welfare": "Legal persons: public-welfare organisations",
            "legal_service": "Legal persons: legal-service institutions", "other_org": "Legal persons: other",
            "total": "Total",
        },
    },
    "review_litigation": {
        "rows": {
            "review": "Administrative reconsideration", "litigation_direct": "Lawsuits without reconsideration",
            "litigation_after_review": "Lawsuits after reconsideration",
        },
        "columns": {
            "upheld": "Upheld", "corrected": "Corrected", "other": "Other result", "pending": "Pending", "total": "Total",
        },
    },
}

#: Short codes that make variable names valid in Stata and R (at most 32
#: characters, letters, digits and ``_``): ``{table}_{row}_{column}``.
SHORT: dict[str, dict[str, dict[str, str]]] = {
    "active_disclosure": {
        "table": {"": "ad"},
        "rows": {"normative_docs": "norm_docs"},
        "columns": {"amount_10k_yuan": "amount", "items_prev_year": "items_prev", "procurement_items": "proc_items",
                    "procurement_amount_10k_yuan": "proc_amount"},
    },
    "applications": {
        "table": {"": "app"},
        "rows": {"denied.state_secret": "den_secret", "denied.prohibited_by_law": "den_by_law",
                 "denied.security_stability": "den_security", "denied.third_party_rights": "den_third_party",
                 "denied.internal_affairs": "den_internal", "denied.process_info": "den_process",
                 "denied.enforcement_file": "den_enforcement", "denied.query_service": "den_query",
                 "unable.not_held": "unab_not_held", "unable.needs_creation": "unab_creation",
                 "unable.unclear": "unab_unclear", "rejected.complaint": "rej_complaint",
                 "rejected.duplicate": "rej_duplicate", "rejected.publication": "rej_publication",
                 "rejected.excessive": "rej_excessive", "rejected.confirmation": "rej_confirm",
                 "other.no_correction": "oth_no_correction", "other.unpaid_fee": "oth_unpaid_fee",
                 "other.misc": "oth_misc"},
        "columns": {"natural_person": "person", "commercial": "firm", "social_welfare": "welfare",
                    "legal_service": "legal", "other_org": "org_other"},
    },
    "review_litigation": {
        "table": {"": "rl"},
        "rows": {"litigation_direct": "suit_direct", "litigation_after_review": "suit_after_review"},
        "columns": {},
    },
}

#: Units: money columns in 万元 (10,000 yuan); every other cell counts items (件).
UNITS = {"money": ("万元", "10,000 yuan"), "count": ("件", "count")}
