#!/usr/bin/env python3
"""Seeded, compositional generator of synthetic children's social care case notes.

Builds case files (4-12 dated notes telling a story: referral -> visits -> strategy /
assessment -> supervision -> manager decision -> review -> step down / closure), and
fills each note from the hand-written sentence banks in banks/: gap sentences carry
labels and are the note's evidence, near-miss sentences show the good practice the
codebook's Exclude clauses describe, neutral sentences carry no concern.

Usage:
    python3 corpora/generator/generate.py --seed 20261125 --cases 230 -o corpora/sample/generated.jsonl

Standard library only; deterministic for a given seed (one random.Random, fixed order).
"""
import argparse
import collections
import datetime as dt
import importlib.util
import json
import os
import re
import sys

import random

sys.dont_write_bytecode = True  # the banks are loaded as modules; keep the tree clean

HERE = os.path.dirname(os.path.abspath(__file__))
BANK_DIR = os.path.join(HERE, "banks")

TYPE_CODES = {"hv": "home_visit", "ct": "contact", "cn": "case_note", "su": "supervision",
              "md": "management_decision", "sd": "strategy_discussion", "as": "assessment",
              "me": "meeting", "cl": "closure"}
SHORT = {"risk": "risk_analysis_gap", "mgmt": "management_oversight_missing",
         "sup": "supervision_issue", "delay": "delay_timeliness", "rec": "recording_quality",
         "work": "workforce_capacity", "drift": "family_support_drift"}
LABELS = list(SHORT.values())
LABEL_FILES = [("risk", "risk"), ("mgmt", "management"), ("sup", "supervision"),
               ("delay", "delay"), ("rec", "recording"), ("work", "workforce"), ("drift", "drift")]
SECTIONS = ["purpose", "obs", "voice", "analysis", "plan"]


# --------------------------------------------------------------------------- banks

def _load(name):
    spec = importlib.util.spec_from_file_location("bank_" + name, os.path.join(BANK_DIR, name + ".py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class Entry:
    __slots__ = ("text", "types", "absence", "section", "role", "age", "themes", "topic",
                 "labels", "kind", "uid", "notthemes")

    def __init__(self, text, kind, labels=(), topic="general"):
        self.text, self.kind, self.labels, self.topic = text, kind, list(labels), topic
        self.types = None
        self.absence = False
        self.section = None
        self.role = []
        self.age = []
        self.themes = None
        self.notthemes = None
        self.uid = None


def _apply_flags(e, tokens):
    for tok in tokens:
        if tok == "!":
            e.absence = True
        elif tok.startswith("^"):
            e.section = {"a": "analysis", "o": "obs", "p": "plan"}[tok[1:]]
        elif tok.startswith("@"):
            e.role.append(tok[1:])
        elif tok.startswith("%"):
            e.age.append(tok[1:])
        elif tok.startswith("#!"):
            e.notthemes = tok[2:].split("/")
        elif tok.startswith("#"):
            e.themes = tok[1:].split("/")
        else:
            raise ValueError("bad flag %r in %r" % (tok, e.text))


def parse_gap_block(block, kind, labels):
    out, topic = [], "general"
    for raw in block.splitlines():
        line = raw.strip()
        if not line or line.startswith("//"):
            continue
        if line.startswith("@topic"):
            topic = line.split()[1]
            continue
        if kind == "dual":
            labs, left, text = line.split(" | ", 2)
            labels = [SHORT[x] for x in labs.split(",")]
        else:
            left, text = line.split(" | ", 1)
        toks = left.split()
        e = Entry(text.strip(), kind, labels, topic)
        if toks[0] != "*":
            e.types = toks[0].split(",")
            for t in e.types:
                assert t in TYPE_CODES, (t, line)
        _apply_flags(e, toks[1:])
        out.append(e)
    return out


def parse_plain_block(block, kind, topic):
    out = []
    for raw in block.splitlines():
        line = raw.strip()
        if not line:
            continue
        toks = []
        if " | " in line:
            left, rest = line.split(" | ", 1)
            if all(t[0] in "%#@^!" for t in left.split()):
                toks, line = left.split(), rest
        e = Entry(line, kind, (), topic)
        _apply_flags(e, toks)
        out.append(e)
    return out


class Banks:
    def __init__(self):
        self.gap, self.near = {}, {}
        for code, fname in LABEL_FILES:
            mod = _load(fname)
            assert mod.LABEL == SHORT[code]
            self.gap[mod.LABEL] = parse_gap_block(mod.GAP, "gap", [mod.LABEL])
            self.near[mod.LABEL] = parse_gap_block(mod.NEAR, "near", [mod.LABEL])
        self.dual = parse_gap_block(_load("dual").DUAL, "dual", None)
        neu = _load("neutral")
        self.general = {cat: parse_plain_block(b, "neutral", cat) for cat, b in neu.GENERAL.items()}
        self.themes = {th: {cat: parse_plain_block(b, "theme", cat) for cat, b in cats.items()}
                       for th, cats in neu.THEMES.items()}
        fr = _load("frames")
        self.openings = {st: parse_plain_block(b, "frame", "open") for st, b in fr.OPENINGS.items()}
        self.closings = {t: parse_plain_block(b, "frame", "close") for t, b in fr.CLOSINGS.items()}
        self.headings = fr.HEADINGS
        self.terse = parse_plain_block(fr.TERSE, "frame", "terse")
        uid = 0
        for e in self.all_entries():
            e.uid = uid
            uid += 1

    def all_entries(self):
        for lab in LABELS:
            yield from self.gap[lab]
            yield from self.near[lab]
        yield from self.dual
        for cat in self.general:
            yield from self.general[cat]
        for th in self.themes:
            for cat in self.themes[th]:
                yield from self.themes[th][cat]
        for st in self.openings:
            yield from self.openings[st]
        for t in self.closings:
            yield from self.closings[t]
        yield from self.terse

    def sizes(self):
        out = {}
        for lab in LABELS:
            out[lab] = {"gap": len(self.gap[lab]), "near_miss": len(self.near[lab]),
                        "dual_with": sum(1 for e in self.dual if lab in e.labels)}
        out["neutral_general"] = sum(len(v) for v in self.general.values())
        out["neutral_theme"] = sum(len(c) for v in self.themes.values() for c in v.values())
        out["openings"] = sum(len(v) for v in self.openings.values())
        out["closings"] = sum(len(v) for v in self.closings.values())
        out["terse"] = len(self.terse)
        out["dual"] = len(self.dual)
        return out


# --------------------------------------------------------------------------- case set-up

PATHWAYS = [("cp", 27), ("cin", 26), ("nfa", 11), ("lac", 13), ("kinship", 9), ("support", 14)]
PATH_THEMES = {
    "cp": ["neglect", "dv", "substance", "mental_health", "physical", "baby", "exploitation"],
    "cin": ["neglect", "dv", "substance", "mental_health", "disability", "exploitation", "physical", "baby"],
    "nfa": ["neglect", "dv", "physical", "mental_health", "substance", "baby"],
    "lac": ["lac"], "kinship": ["kinship"],
    "support": ["neglect", "substance", "mental_health", "disability", "dv"],
}
# '?' optional, '*' repeatable (also optional)
PATH_STAGES = {
    "cp": ["referral", "initial_visit?", "strategy", "s47_visit", "assessment", "icpc", "visit*",
           "supervision", "core_group?", "visit*", "call?", "casenote?", "mgmt?", "supervision?", "rcpc", "closure?"],
    "cin": ["referral", "initial_visit", "assessment", "mgmt", "cin_meeting", "visit*", "fsw*",
            "supervision", "call?", "casenote?", "cin_review", "closure?"],
    "nfa": ["referral", "initial_visit", "call?", "casenote?", "assessment", "supervision?", "mgmt?", "closure"],
    "lac": ["placement", "lac_visit", "lac_review", "supervision", "lac_visit*", "call?",
            "casenote?", "mgmt?", "lac_review"],
    "kinship": ["referral", "kin_visit", "kin_assessment", "supervision?", "mgmt", "kin_visit*",
                "call?", "kin_review", "closure?"],
    "support": ["cin_review", "fsw*", "visit*", "supervision", "cin_review", "fsw*", "casenote?",
                "mgmt", "supervision?", "cin_review?", "closure?"],
}
PATH_LEN = {"cp": (7, 12), "cin": (6, 12), "nfa": (4, 6), "lac": (5, 11), "kinship": (5, 11),
            "support": (6, 12)}
EARLY_STAGES = {"referral", "initial_visit", "strategy", "s47_visit", "icpc", "placement",
                "kin_assessment", "cin_meeting"}
# vocabulary that does not fit a pathway (or a point in it): keeps case files coherent
CP_WORDS = r"\bICPC\b|\bRCPC\b|core group|CP plan|CP visit|child protection plan|conference|\bPLO\b|legal planning"
CIN_WORDS = r"\bCIN\b|child in need"
LAC_WORDS = (r"\bLAC\b(?! episode)|\bCLA\b|foster|placement|\bPEP\b|\bIRO\b|looked after|Reg(ulation)? 24|\bSGO\b|"
             r"kinship|care order|Section 20|supervising social worker|virtual school|connected person")
FAMSUP_WORDS = r"\bFSW\b|IFSS|family support|parenting (programme|course|group)|early help|family hub|\bTAF\b|step(ped)?[ -]down"
PATH_EXCLUDE = {
    "cp": [LAC_WORDS],
    "cin": [CP_WORDS, LAC_WORDS, r"s47|strategy (discussion|meeting)"],
    "support": [CP_WORDS, LAC_WORDS, r"s47|strategy (discussion|meeting)"],
    "nfa": [CP_WORDS, LAC_WORDS, CIN_WORDS, r"\bFSW\b|IFSS|family support|s47|strategy (discussion|meeting)"],
    "lac": [CP_WORDS, CIN_WORDS, FAMSUP_WORDS, r"strategy|s47|Reg(ulation)? 24|kinship|connected person|\bSGO\b"],
    "kinship": [CP_WORDS, r"strategy|s47|IFSS|foster placement|\bPEP\b|virtual school"],
}
STAGE_EXCLUDE = {
    ("cp", "referral"): [CP_WORDS, CIN_WORDS], ("cp", "initial_visit"): [CP_WORDS, CIN_WORDS],
    ("cp", "strategy"): [CP_WORDS, CIN_WORDS, r"not met|no further strategy"],
    ("cp", "s47_visit"): [CP_WORDS, CIN_WORDS], ("cp", "assessment"): [CP_WORDS, CIN_WORDS],
    ("cp", "icpc"): [r"\bRCPC\b|since the ICPC|at the ICPC|after the ICPC|of the ICPC|core group"],
    ("cin", "referral"): [CIN_WORDS], ("cin", "initial_visit"): [r"CIN (plan|meeting|review|visit)"],
    ("nfa", "referral"): [r"strategy"],
}


def vocab_rx(pathway, stage):
    pats = PATH_EXCLUDE.get(pathway, []) + STAGE_EXCLUDE.get((pathway, stage), [])
    return re.compile("|".join("(?:%s)" % p for p in pats), re.I) if pats else None


# wording that presupposes earlier work on the case: kept out of the first notes of a file
LATER_RX = re.compile(r"last visit|previous|\bagain\b|since the last|as before|same as|"
                      r"last (core group|review|supervision|meeting|month)|carried (over|forward)|"
                      r"\bstill\b|\bcontinues?\b", re.I)
STAGE_TYPE = {"referral": "ct", "placement": "cn", "initial_visit": "hv", "s47_visit": "hv",
              "visit": "hv", "lac_visit": "hv", "kin_visit": "hv", "fsw": "hv", "strategy": "sd",
              "assessment": "as", "kin_assessment": "as", "icpc": "me", "rcpc": "me",
              "core_group": "me", "cin_meeting": "me", "cin_review": "me", "lac_review": "me",
              "kin_review": "me", "call": "ct", "casenote": "cn", "supervision": "su",
              "mgmt": "md", "closure": "cl"}
STAGE_GAP = {"referral": (0, 0), "placement": (0, 3), "initial_visit": (1, 6), "s47_visit": (0, 2),
             "visit": (7, 21), "lac_visit": (20, 42), "kin_visit": (10, 30), "fsw": (4, 14),
             "strategy": (0, 3), "assessment": (10, 35), "kin_assessment": (20, 50),
             "icpc": (5, 12), "rcpc": (20, 45), "core_group": (7, 14), "cin_meeting": (7, 20),
             "cin_review": (30, 70), "lac_review": (25, 80), "kin_review": (30, 80),
             "call": (1, 10), "casenote": (1, 14), "supervision": (5, 30), "mgmt": (2, 20),
             "closure": (5, 30)}

AGES = {"neglect": (2, 14), "dv": (1, 13), "substance": (1, 12), "mental_health": (1, 15),
        "exploitation": (12, 17), "disability": (4, 16), "baby": (0, 0), "physical": (2, 12),
        "lac": (3, 17), "kinship": (1, 12)}
CONCERNS = {
    "neglect": ["the state of the home", "the children's hygiene", "poor school attendance",
                "the pattern of missed health appointments", "the lack of food in the home", "the state of the bedrooms"],
    "dv": ["the domestic abuse", "father's controlling behaviour", "the pattern of police call-outs",
           "the history of DV", "the risk of the ex-partner returning"],
    "substance": ["mother's drinking", "parental cannabis use", "father's heroin use",
                  "the drug use in the home", "the parents' alcohol use"],
    "mental_health": ["mother's mental health", "mother's low mood", "mother's self-harm",
                      "father's psychosis", "the risk of relapse"],
    "exploitation": ["the pattern of missing episodes", "the contact with older males", "the unexplained cash",
                     "the county lines risk", "the online contact with adults"],
    "disability": ["the level of unmet care need", "the pattern of missed hospital appointments", "carer stress",
                   "the restraint at home", "the lack of respite"],
    "baby": ["the baby's weight", "unsafe sleeping", "the parents' young age",
             "mother's postnatal mood", "the unexplained bruise"],
    "physical": ["the physical chastisement", "the injury", "father's temper",
                 "the bruising seen by school"],
    "lac": ["placement stability", "contact with birth mother", "going missing from placement",
            "the behaviour in placement", "the risk of school exclusion"],
    "kinship": ["the carer's health", "mother turning up at the carers' home", "money worries for the carers",
                "contact with mother", "the strain on the carers"],
}
AGENCIES = {
    "neglect": ["the HV", "school", "the GP", "the school nurse", "housing", "the dentist"],
    "dv": ["police", "the IDVA", "school", "the HV", "the MARAC coordinator"],
    "substance": ["the drug and alcohol service", "police", "the GP", "the midwife", "school"],
    "mental_health": ["the GP", "the CPN", "the perinatal team", "school", "adult mental health services"],
    "exploitation": ["police", "the YOT", "school", "the youth service", "CAMHS"],
    "disability": ["the community nurse", "the paediatrician", "school", "the OT", "the short breaks team"],
    "baby": ["the HV", "the midwife", "the GP", "the hospital safeguarding team"],
    "physical": ["school", "the GP", "A&E", "police", "the school nurse"],
    "lac": ["the supervising social worker", "the virtual school", "the LAC nurse", "the IRO", "school"],
    "kinship": ["the kinship support team", "school", "the GP", "the HV"],
}
QUOTES = {
    "young": ["I like my room", "mummy makes nice tea", "I'm happy here", "I want to stay with mummy",
              "nan's house is the best", "I'm not scared at home", "I like it when we go to the park"],
    "teen": ["it's fine, honestly", "things are better now", "I just want to get my exams done",
             "I get on with mum now", "I'd rather not have meetings", "I feel safe here"],
}
INITIALS = "ABCDEFGHJKLMNPRSTWY"
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
WORKER_ROLES = [("social_worker", 60), ("agency_social_worker", 16), ("student", 8),
                ("senior_practitioner", 16)]

# label weights per note type (risk, mgmt, sup, delay, rec, work, drift)
W = {
    "hv": [2.4, 0.3, 1.0, 2.0, 2.6, 1.4, 2.7],
    "ct": [1.6, 1.0, 0.0, 2.4, 1.0, 0.8, 0.5],
    "cn": [1.0, 1.8, 3.6, 2.2, 1.0, 3.0, 2.5],
    "su": [0.3, 0.6, 7.0, 0.5, 0.6, 1.0, 1.0],
    "md": [0.5, 6.0, 0.0, 0.3, 0.3, 0.3, 0.8],
    "sd": [2.5, 1.2, 0.0, 2.0, 1.2, 0.4, 0.0],
    "as": [2.2, 1.6, 0.0, 2.0, 1.4, 0.5, 1.0],
    "me": [1.2, 0.7, 0.0, 1.6, 0.8, 1.0, 7.0],
    "cl": [0.8, 5.0, 0.0, 0.4, 0.8, 0.5, 1.6],
}
NEAR_W = {
    "hv": {"risk": 2.0, "rec": 2.0, "delay": 1.6, "work": 1.2, "drift": 0.8, "sup": 0.4, "mgmt": 0.4},
    "ct": {"delay": 2.0, "risk": 1.2, "mgmt": 1.2, "rec": 0.8, "work": 0.6},
    "cn": {"work": 2.0, "delay": 2.0, "mgmt": 1.0, "sup": 1.4, "drift": 1.0, "risk": 0.6, "rec": 0.6},
    "su": {"sup": 6.0, "mgmt": 0.3},
    "md": {"mgmt": 6.0, "drift": 0.8},
    "sd": {"risk": 3.0, "delay": 2.0, "mgmt": 1.0, "rec": 0.6},
    "as": {"risk": 2.0, "delay": 2.0, "mgmt": 1.6, "rec": 1.0},
    "me": {"drift": 4.0, "delay": 2.0, "risk": 1.0, "rec": 0.8, "work": 0.8, "mgmt": 0.6},
    "cl": {"mgmt": 6.0, "drift": 0.6},
}
# categories that a gap (or its near-miss twin) replaces in the note
SUPPRESS = {"risk_analysis_gap": {"analysis", "mash_decision", "strat_outcome"},
            "management_oversight_missing": {"decision", "mgr_actions", "signoff", "mash_decision",
                                             "strat_outcome"},
            "supervision_issue": {"reflect", "sup_actions", "analysis"},
            "delay_timeliness": set(), "recording_quality": set(), "workforce_capacity": set(),
            "family_support_drift": {"progress"}}
NEAR_SUPPRESS = {"risk_analysis_gap": {"analysis"}, "management_oversight_missing": {"decision", "signoff"},
                 "supervision_issue": {"reflect"}, "family_support_drift": {"progress"}}
# neutral/frame sentences that would contradict a gap present in the same note
CONFLICT = {
    "management_oversight_missing": re.compile(r"\bTM\b|\b(manager|management|chair)\b", re.I),
    "supervision_issue": re.compile(r"\bsupervision\b|practice educator|reflect", re.I),
    "risk_analysis_gap": re.compile(r"safety plan|\brisk\b|analysis|protective|\bjudge\b|my view|reassured", re.I),
    "delay_timeliness": re.compile(r"timescale|on time|same day|same afternoon|within 24 hours|on the day", re.I),
    "family_support_drift": re.compile(r"improv|progress|completed the|been met|has completed|better", re.I),
    "workforce_capacity": re.compile(r"handover|new (SW|worker|social worker)|agency worker|\bcover\b", re.I),
    "recording_quality": None,
}
SHORT_REC_TOPICS = {"vague", "copied", "whoseen", "jargon"}
LENGTHS = {"one": (15, 30), "short": (30, 80), "medium": (80, 180), "long": (180, 280), "vlong": (255, 390)}
LEN_W = {
    "hv": {"one": 8, "short": 28, "medium": 38, "long": 19, "vlong": 7},
    "ct": {"one": 22, "short": 48, "medium": 25, "long": 5},
    "cn": {"one": 35, "short": 45, "medium": 20},
    "su": {"one": 10, "short": 35, "medium": 40, "long": 15},
    "md": {"one": 25, "short": 45, "medium": 30},
    "sd": {"short": 30, "medium": 50, "long": 20},
    "as": {"medium": 35, "long": 45, "vlong": 20},
    "me": {"short": 20, "medium": 45, "long": 30, "vlong": 5},
    "cl": {"one": 15, "short": 45, "medium": 35, "long": 5},
}
# (category, min, max) required or allowed per stage kind
RECIPES = {
    "hv": {"req": [("obs", 1, 2), ("voice", 1, 1), ("plan", 1, 1)],
           "fill": ["obs", "home", "school", "health", "agency", "analysis", "action", "plan", "obs", "home"]},
    "fsw": {"req": [("fsw", 1, 2)], "fill": ["fsw", "obs", "fsw", "home", "plan", "voice"]},
    "referral": {"req": [("referral", 1, 1), ("mash_decision", 1, 1)],
                 "fill": ["agency"]},
    "ct": {"req": [("agency", 1, 1)], "fill": ["agency", "school", "health", "plan"]},
    "cn": {"req": [("action", 1, 1)], "fill": ["agency", "action", "school", "health", "plan"]},
    "su": {"req": [("reflect", 1, 2), ("sup_actions", 1, 1)],
           "fill": ["progress", "reflect", "analysis", "progress"]},
    "md": {"req": [("decision", 1, 1), ("mgr_actions", 1, 1)], "fill": ["progress", "agency"]},
    "sd": {"req": [("referral", 1, 1), ("agency", 1, 1), ("strat_outcome", 1, 1)],
           "fill": ["agency", "agency", "sd_actions"]},
    "as": {"req": [("obs", 1, 2), ("voice", 1, 1), ("analysis", 1, 1), ("plan", 1, 1)],
           "fill": ["obs", "home", "school", "health", "agency", "analysis", "obs", "home", "plan"]},
    "me": {"req": [("progress", 1, 1), ("agency", 1, 1), ("plan", 1, 1)],
           "fill": ["agency", "school", "health", "progress", "voice", "plan", "tobs"]},
    "cl": {"req": [("progress", 1, 1), ("signoff", 1, 1)], "fill": ["progress", "agency", "tobs"]},
}
CAT_SECTION = {"tobs": "obs", "obs": "obs", "home": "obs", "school": "obs", "health": "obs", "agency": "obs",
               "fsw": "obs", "referral": "obs", "voice": "voice", "analysis": "analysis",
               "reflect": "analysis", "decision": "analysis", "signoff": "analysis",
               "strat_outcome": "analysis", "mash_decision": "analysis", "progress": "obs",
               "plan": "plan", "action": "plan", "sd_actions": "plan", "sup_actions": "plan", "mgr_actions": "plan"}
MAX_PER_CAT = {"sd_actions": 2, "plan": 2, "action": 3, "agency": 4, "school": 3, "health": 3, "progress": 3,
               "tobs": 4, "voice": 1, "analysis": 2, "decision": 1, "signoff": 1, "strat_outcome": 1,
               "mash_decision": 1, "referral": 1, "sup_actions": 1, "mgr_actions": 1, "reflect": 3}
DEFAULT_SECTION = {"risk_analysis_gap": "obs", "management_oversight_missing": "analysis",
                   "supervision_issue": "obs", "delay_timeliness": "obs", "recording_quality": "obs",
                   "workforce_capacity": "obs", "family_support_drift": "analysis"}
TYPOS = [("received", "recieved"), ("separate", "seperate"), ("definitely", "definately"),
         ("arrangements", "arrangments"), ("appointment", "appointmnet"), ("necessary", "neccessary"),
         ("environment", "enviroment"), ("school", "shcool"), ("because", "becuase"),
         ("agreed", "agred"), ("visit", "vist"), ("their", "thier"), ("which", "whcih")]
ALT = re.compile(r"\[([^\[\]]*)\]")
SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
WORD = re.compile(r"\w+")


def wchoice(rng, pairs):
    total = sum(w for _, w in pairs)
    r = rng.random() * total
    for item, w in pairs:
        r -= w
        if r < 0:
            return item
    return pairs[-1][0]


def words(text):
    return len(text.split())


def shingles(text):
    toks = WORD.findall(text.lower())
    if len(toks) < 5:
        return {" ".join(toks)}
    return {" ".join(toks[i:i + 5]) for i in range(len(toks) - 4)}


class Case:
    pass


def theme_ok(e, case):
    if e.themes is not None and case.theme not in e.themes:
        return False
    if e.notthemes is not None and case.theme in e.notthemes:
        return False
    return age_ok(e.age, case.age)


def age_ok(flags, age):
    for f in flags:
        if f == "sch" and age < 5:
            return False
        if f == "teen" and age < 12:
            return False
        if f == "young" and not (2 <= age <= 11):
            return False
        if f == "baby" and age > 1:
            return False
        if f == "notbaby" and age < 2:
            return False
        if f == "pre" and not (2 <= age <= 4):
            return False
        if f == "u5" and age >= 5:
            return False
    return True


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.banks = Banks()
        self.usage = collections.Counter()
        self._idx = 0
        self.note_used = set()
        self.rejected = collections.Counter()
        self.notes = []
        self.texts = set()
        self.sh_index = collections.defaultdict(list)
        self.sh_sets = []

    # ----------------------------------------------------------------- case

    def make_case(self, case_no):
        rng = self.rng
        c = Case()
        c.no = case_no
        c.id = "GEN-%03d" % case_no
        c.pathway = wchoice(rng, PATHWAYS)
        c.theme = rng.choice(PATH_THEMES[c.pathway])
        lo, hi = AGES[c.theme]
        c.age = rng.randint(lo, hi)
        c.months_old = rng.randint(1, 11)
        c.gender = rng.choice("mf")
        c.initial = rng.choice(INITIALS)
        c.sib = rng.choice([x for x in INITIALS if x != c.initial])
        surname = rng.choice([x for x in INITIALS if x not in (c.initial, c.sib)])
        c.mum_refs = rng.choice([["mother", "mum"], ["Ms %s" % surname, "mother"], ["mum", "M"],
                                 ["mother", "Ms %s" % surname], ["M", "mum"]])
        other = rng.choice([x for x in INITIALS if x != surname])
        c.dad_refs = rng.choice([["father", "dad"], ["Mr %s" % surname, "father"],
                                 ["mother's partner", "Mr %s" % other], ["step-father", "Mr %s" % other],
                                 ["dad", "F"]])
        if c.theme == "lac":
            c.carer_refs = rng.choice([["the foster carer", "FC"], ["Mrs %s (foster carer)" % other, "the foster carer"],
                                       ["FC", "the foster carer"]])
        elif c.theme == "kinship":
            c.carer_refs = rng.choice([["MGM", "maternal grandmother"], ["PGM", "paternal grandmother"],
                                       ["maternal aunt", "the aunt"], ["Mrs %s (MGM)" % other, "MGM"]])
        else:
            c.carer_refs = None
        c.worker_role = wchoice(rng, WORKER_ROLES)
        c.nqsw = c.worker_role == "social_worker" and rng.random() < 0.2
        c.style = {"format": rng.choice([{"prose": 5, "headed": 3, "bullets": 2},
                                         {"prose": 2, "headed": 6, "bullets": 2},
                                         {"prose": 3, "headed": 2, "bullets": 5},
                                         {"prose": 6, "headed": 2, "bullets": 1}]),
                   "date": rng.choice(["slash", "short", "long", "dots"]),
                   "ca": rng.choice(["paren", "aged", "yrs"]),
                   "typo": rng.choice([0.0, 0.02, 0.05, 0.08])}
        c.p_unlabelled = min(0.75, max(0.12, rng.gauss(0.42, 0.13)))
        c.prone = rng.sample(LABELS, 2)
        if c.pathway == "support" and SHORT["drift"] not in c.prone:
            c.prone[0] = SHORT["drift"]
        c.used = set()
        lo, hi = PATH_LEN[c.pathway]
        c.n = rng.randint(lo, hi)
        c.stages = self.build_stages(c.pathway, c.n)
        c.n = len(c.stages)
        start = dt.date(2022, 9, 1) + dt.timedelta(days=rng.randint(0, 900))
        c.dates = []
        d = start
        for st in c.stages:
            a, b = STAGE_GAP[st]
            d = d + dt.timedelta(days=rng.randint(a, b))
            c.dates.append(d)
        return c

    def build_stages(self, pathway, n):
        rng = self.rng
        tpl = PATH_STAGES[pathway]
        req = [i for i, s in enumerate(tpl) if not s.endswith(("?", "*"))]
        opt = [i for i, s in enumerate(tpl) if s.endswith(("?", "*"))]
        chosen = list(req)
        k = max(0, min(len(opt), n - len(req)))
        chosen += rng.sample(opt, k)
        counts = collections.Counter(chosen)
        reps = [i for i in opt if tpl[i].endswith("*") and i in counts]
        while sum(counts.values()) < n and reps:
            counts[rng.choice(reps)] += 1
        out = []
        for i in sorted(counts):
            out += [tpl[i].rstrip("?*")] * counts[i]
        return out[:12]

    # ----------------------------------------------------------------- slots

    def fmt_date(self, case, d):
        s = case.style["date"]
        if s == "slash":
            return d.strftime("%d/%m/%Y")
        if s == "short":
            return d.strftime("%d/%m")
        if s == "dots":
            return "%d.%d.%s" % (d.day, d.month, d.strftime("%y"))
        return "%d %s" % (d.day, MONTHS[d.month - 1])

    def slots(self, case, date, use_carer_as_mum):
        rng = self.rng
        male = case.gender == "m"
        age = case.age
        if case.theme == "baby":
            ca = "baby %s (%d months)" % (case.initial, case.months_old) if rng.random() < 0.5 else \
                "%s (%d mths)" % (case.initial, case.months_old)
        elif case.style["ca"] == "paren":
            ca = "%s (%d)" % (case.initial, age)
        elif case.style["ca"] == "aged":
            ca = "%s, aged %d," % (case.initial, age) if False else "%s (aged %d)" % (case.initial, age)
        else:
            ca = "%s (%dyrs)" % (case.initial, age)
        mum = rng.choice(case.mum_refs) if rng.random() < 0.3 else case.mum_refs[0]
        dad = rng.choice(case.dad_refs) if rng.random() < 0.3 else case.dad_refs[0]
        carer = (rng.choice(case.carer_refs) if rng.random() < 0.3 else case.carer_refs[0]) \
            if case.carer_refs else mum
        if use_carer_as_mum and case.carer_refs:
            mum = carer
        if age <= 1:
            school, dsl = "the children's centre", "the HV"
        elif age <= 4:
            school, dsl = "nursery", rng.choice(["the nursery manager", "nursery staff"])
        elif age >= 16:
            school, dsl = "college", rng.choice(["the college safeguarding lead", "college"])
        else:
            school, dsl = "school", rng.choice(["the school DSL", "the DSL", "school", "the class teacher"])
        concerns = CONCERNS[case.theme]
        c1, c2 = rng.sample(concerns, 2)
        m_back = date - dt.timedelta(days=rng.randint(60, 180))
        return {
            "c": case.initial, "ca": ca, "age": str(age), "sib": case.sib,
            "he": "he" if male else "she", "him": "him" if male else "her",
            "his": "his" if male else "her", "himself": "himself" if male else "herself",
            "mum": mum, "dad": dad, "carer": carer, "school": school, "dsl": dsl,
            "agency": rng.choice(AGENCIES[case.theme]), "concern": c1, "concern2": c2,
            "n": str(rng.randint(2, 4)), "weeks": str(rng.randint(3, 9)), "days": str(rng.randint(4, 19)),
            "months": str(rng.randint(5, 14)),
            "date": self.fmt_date(case, date - dt.timedelta(days=rng.randint(2, 20))),
            "olddate": self.fmt_date(case, date - dt.timedelta(days=rng.randint(30, 100))),
            "next": self.fmt_date(case, date + dt.timedelta(days=rng.randint(5, 30))),
            "month": MONTHS[m_back.month - 1],
            "c_quote": rng.choice(QUOTES["teen" if age >= 12 else "young"]),
        }

    def fill(self, case, entry, date):
        rng = self.rng
        own_theme = entry.kind == "theme" or (entry.themes is not None and case.theme in entry.themes)
        sl = self.slots(case, date, use_carer_as_mum=not own_theme)
        text = ALT.sub(lambda m: rng.choice(m.group(1).split("|")), entry.text)
        text = text.format_map(sl)
        if text and text[0].islower():
            text = text[0].upper() + text[1:]
        if case.style["typo"] and rng.random() < case.style["typo"]:
            for a, b in rng.sample(TYPOS, len(TYPOS)):
                if re.search(r"\b%s\b" % a, text):
                    text = re.sub(r"\b%s\b" % a, b, text, count=1)
                    break
        return text

    # ----------------------------------------------------------------- selection

    def placed_ok(self, e, case, stage):
        """Pathway vocabulary and position in the file (@end / @late flags)."""
        rx = vocab_rx(case.pathway, stage)
        if rx is not None and rx.search(e.text):
            return False
        if stage in EARLY_STAGES and LATER_RX.search(e.text):
            return False
        idx = self._idx
        if "end" in e.role and idx != case.n - 1:
            return False
        if "late" in e.role and not (idx >= case.n - 3 and idx >= 2):
            return False
        return True

    def compatible(self, e, case, tcode, author, rolekind, stage=None):
        if e.types is not None and tcode not in e.types:
            return False
        if stage is not None and not self.placed_ok(e, case, stage):
            return False
        # a manager does not write that management oversight is missing, except bare approvals
        if rolekind == "m" and SHORT["mgmt"] in e.labels and "m" not in e.role:
            return False
        if not theme_ok(e, case):
            return False
        for r in e.role:
            if r == "w" and rolekind != "w":
                return False
            if r == "m" and rolekind != "m":
                return False
            if r == "s" and author != "student":
                return False
            if r == "a" and author != "agency_social_worker":
                return False
            if r == "q" and not (case.nqsw and author == "social_worker"):
                return False
            if r == "S" and case.worker_role != "student":
                return False
            if r == "Q" and not case.nqsw:
                return False
            # "end" / "late" are position flags, checked in placed_ok
        return True

    def pick(self, case, pool, avoid=None):
        """Least-used entry first; never twice in one note, and not twice in one case if avoidable."""
        pool = [e for e in pool if e.uid not in self.note_used]
        pool = [e for e in pool if e.uid not in case.used] or pool
        if avoid is not None:
            pool = [e for e in pool if not avoid(e)]
        if not pool:
            return None
        lo = min(self.usage[e.uid] for e in pool)
        best = [e for e in pool if self.usage[e.uid] <= lo + 1]
        e = self.rng.choice(best)
        self.usage[e.uid] += 1
        case.used.add(e.uid)
        self.note_used.add(e.uid)
        return e

    def neutral_pool(self, case, cat, stage=None):
        pool = self._neutral_pool(case, cat)
        if stage is not None:
            pool = [e for e in pool if self.placed_ok(e, case, stage)]
        return pool

    def _neutral_pool(self, case, cat):
        pool = []
        if cat == "tobs":
            return [e for e in self.banks.themes[case.theme]["obs"] if theme_ok(e, case)]
        if cat in self.banks.themes.get(case.theme, {}):
            pool += self.banks.themes[case.theme][cat]
        if cat == "voice":
            key = "voice_baby" if case.age <= 1 else ("voice_teen" if case.age >= 12 else "voice_young")
            pool += self.banks.general[key]
        elif cat in self.banks.general:
            pool += self.banks.general[cat]
        return [e for e in pool if theme_ok(e, case)]

    def choose_labels(self, case, tcode, author, rolekind, stage):
        rng = self.rng
        p_unl = case.p_unlabelled
        if tcode == "md" and rolekind == "m":
            p_unl -= 0.08
        if rng.random() < p_unl:
            return []
        def weights(exclude):
            out = []
            for i, lab in enumerate(LABELS):
                if lab in exclude:
                    continue
                w = W[tcode][i] * (2.6 if lab in case.prone else 1.0)
                if lab == SHORT["drift"] and (stage in EARLY_STAGES or
                                              (stage == "assessment" and case.pathway != "support")):
                    w = 0
                if w <= 0:
                    continue
                if not any(self.compatible(e, case, tcode, author, rolekind, stage) for e in self.banks.gap[lab]):
                    continue
                out.append((lab, w))
            return out
        labs = []
        ws = weights(labs)
        if not ws:
            return []
        labs.append(wchoice(rng, ws))
        if rng.random() < 0.40:
            ws = weights(labs)
            if ws:
                labs.append(wchoice(rng, ws))
                if rng.random() < 0.15:
                    ws = weights(labs)
                    if ws:
                        labs.append(wchoice(rng, ws))
        return labs

    # ----------------------------------------------------------------- composition

    def author_for(self, case, stage):
        rng = self.rng
        t = STAGE_TYPE[stage]
        if stage == "fsw":
            return "family_support_worker"
        if stage == "referral":
            return wchoice(rng, [("social_worker", 55), ("other", 25), ("senior_practitioner", 20)])
        if stage == "strategy":
            return wchoice(rng, [(case.worker_role, 65), ("team_manager", 35)])
        if stage in ("icpc", "rcpc", "lac_review"):
            return wchoice(rng, [("iro", 70), (case.worker_role, 30)])
        if stage == "supervision":
            return wchoice(rng, [("team_manager", 55), ("senior_practitioner", 30), (case.worker_role, 15)])
        if stage == "mgmt":
            return wchoice(rng, [("team_manager", 90), ("senior_practitioner", 10)])
        if stage == "closure":
            return wchoice(rng, [(case.worker_role, 78), ("team_manager", 22)])
        if stage in ("call", "casenote") and case.pathway in ("cin", "support") and rng.random() < 0.2:
            return "family_support_worker"
        return case.worker_role

    @staticmethod
    def rolekind(author, tcode):
        if author == "team_manager":
            return "m"
        if author == "senior_practitioner" and tcode in ("su", "md"):
            return "m"
        if author in ("iro", "other"):
            return "x"
        return "w"

    def make_item(self, case, entry, date, sec=None, labels=(), tcode=None):
        text = self.fill(case, entry, date)
        if entry.section is None and sec == "analysis" and tcode in ("hv", "ct", "cn"):
            sec = "obs"
        return {"sec": sec or entry.section or "obs", "text": text, "labels": list(labels),
                "entry": entry}

    def compose(self, case, idx, stage, tcode, author, rk, labels, near_label, date, force):
        rng = self.rng
        self.note_used = set()
        recipe_key = stage if stage in ("fsw", "referral") else tcode
        recipe = RECIPES[recipe_key]
        items, gaps = [], []
        flags = {"terse": False, "absence": False, "short_rec": False, "long1": False}
        # --- terse manager approval
        if force.get("terse"):
            base = self.pick(case, [e for e in self.banks.terse if self.placed_ok(e, case, stage)]).text
            ini = rng.choice(INITIALS) + rng.choice(INITIALS)
            suffixes = [" " + self.fmt_date(case, date), " %s TM" % ini,
                        " (%s)" % self.fmt_date(case, date), " - %s" % ini]
            if len(base.split()) >= 2:
                suffixes += ["", ""]
            suffix = rng.choice(suffixes)
            text = base + suffix
            return {"text": text, "evidence": {SHORT["mgmt"]: [text]}, "labels": [SHORT["mgmt"]],
                    "hard": "terse_approval", "gaps": [(SHORT["mgmt"], "bare")], "near": None}
        # --- gap items (dual first)
        remaining = list(labels)
        if len(labels) >= 2 and rng.random() < 0.6:
            duals = [e for e in self.banks.dual if set(e.labels) <= set(labels)
                     and self.compatible(e, case, tcode, author, rk, stage)]
            e = self.pick(case, duals) if duals else None
            if e:
                gaps.append(self.make_item(case, e, date, e.section or DEFAULT_SECTION[e.labels[0]], e.labels, tcode))
                for l in e.labels:
                    if l in remaining and rng.random() < 0.75:
                        remaining.remove(l)
        for lab in remaining:
            pool = [e for e in self.banks.gap[lab] if self.compatible(e, case, tcode, author, rk, stage)]
            if force.get("absence_pref") and lab == SHORT["mgmt"]:
                ab = [e for e in pool if e.absence]
                pool = ab or pool
            if force.get("long1"):
                pool = [e for e in pool if not (lab == SHORT["rec"] and e.topic in SHORT_REC_TOPICS)] or pool
            e = self.pick(case, pool)
            if e is None:
                return None
            gaps.append(self.make_item(case, e, date, e.section or DEFAULT_SECTION[lab], [lab], tcode))
        for g in gaps:
            if g["entry"].absence:
                flags["absence"] = True
            if SHORT["rec"] in g["labels"] and g["entry"].topic in SHORT_REC_TOPICS:
                flags["short_rec"] = True
        present = set(labels)
        suppressed = set()
        for lab in present:
            suppressed |= SUPPRESS[lab]
        if flags["short_rec"]:
            suppressed |= {"voice", "analysis", "reflect", "decision", "progress", "signoff"}
        if flags["absence"]:
            suppressed |= {"signoff", "decision", "mgr_actions"}
        if SHORT["sup"] in present and tcode == "su":
            flags["sup_record"] = True
        conflicts = [CONFLICT[l] for l in present if CONFLICT[l] is not None]
        # near-miss items
        near_items = []
        if near_label:
            pool = [e for e in self.banks.near[near_label] if self.compatible(e, case, tcode, author, rk, stage)]
            k = 2 if (len(pool) > 3 and rng.random() < 0.25) else 1
            for _ in range(k):
                e = self.pick(case, pool)
                if e:
                    near_items.append(self.make_item(case, e, date, e.section or DEFAULT_SECTION[near_label], (), tcode))
                    pool = [x for x in pool if x is not e]
            suppressed |= NEAR_SUPPRESS.get(near_label, set())

        def bad(e):
            if e.themes is not None and case.theme not in e.themes:
                return True
            return False

        def conflict_text(t):
            return any(rx.search(t) for rx in conflicts)

        # --- opening
        op_pool = [e for e in self.banks.openings[stage] if theme_ok(e, case) and self.placed_ok(e, case, stage)] \
            or [e for e in self.banks.openings[stage] if theme_ok(e, case)]
        opening = None
        for _ in range(6):
            e = self.pick(case, op_pool)
            if e is None:
                break
            t = self.fill(case, e, date)
            op_conf = [CONFLICT[l] for l in present if CONFLICT[l] is not None
                       and not (tcode == "su" and l == SHORT["sup"])]
            if not any(rx.search(t) for rx in op_conf):
                opening = {"sec": "purpose", "text": t, "labels": [], "entry": e}
                break
        # --- length target
        if force.get("long1"):
            bucket = "vlong"
        elif near_items:
            bucket = rng.choice(["short", "medium", "medium", "long"])
        elif flags.get("sup_record"):
            bucket = rng.choice(["one", "short", "short"])
        elif flags["short_rec"] or flags["absence"] and rng.random() < 0.6:
            bucket = rng.choice(["one", "short"])
        else:
            bucket = wchoice(rng, list(LEN_W[tcode].items()))
        lo, hi = LENGTHS[bucket]
        target = rng.randint(lo, hi)
        # --- required neutral items
        neutral = []
        cat_count = collections.Counter()

        def add_cat(cat):
            if cat in suppressed:
                return False
            if cat_count[cat] >= MAX_PER_CAT.get(cat, 99):
                return False
            pool = self.neutral_pool(case, cat, stage)
            if not pool:
                return False
            for _ in range(4):
                e = self.pick(case, pool)
                if e is None:
                    return False
                t = self.fill(case, e, date)
                if conflict_text(t):
                    continue
                neutral.append({"sec": CAT_SECTION[cat], "text": t, "labels": [], "entry": e, "cat": cat})
                cat_count[cat] += 1
                return True
            return False

        if not flags["short_rec"]:
            for cat, a, b in recipe["req"]:
                for _ in range(rng.randint(a, b)):
                    add_cat(cat)
        elif recipe_key in ("referral", "sd"):
            add_cat("referral")

        def total_words():
            return sum(words(x["text"]) for x in gaps + near_items + neutral) + \
                (words(opening["text"]) if opening else 0)

        fill = recipe["fill"]
        tries = 0
        if bucket in ("one",) and not flags["short_rec"]:
            # one-liners keep only the most important required item
            keep = [x for x in neutral if x["cat"] in ("voice", "decision", "signoff", "reflect",
                                                        "mash_decision", "strat_outcome", "referral")]
            neutral[:] = keep[:1] if (gaps or near_items) else (keep[:2] or neutral[:1])
        elif flags["short_rec"]:
            neutral[:] = neutral[:1]
        else:
            while total_words() < target and tries < 60:
                tries += 1
                before = total_words()
                add_cat(rng.choice(fill))
                if total_words() > hi:
                    neutral.pop()
                    break
                if total_words() == before and tries > 40:
                    break
        # --- closing
        closing = None
        if rng.random() < 0.35 and bucket != "one" and tcode in self.banks.closings:
            e = self.pick(case, [x for x in self.banks.closings[tcode] if self.placed_ok(x, case, stage)]
                          or self.banks.closings[tcode])
            t = self.fill(case, e, date) if e else ""
            if e and not conflict_text(t):
                closing = {"sec": "plan", "text": t, "labels": [], "entry": e}
        # --- minimum length (15 words) for everything but terse approvals
        pad = ["action", "plan"] if flags["short_rec"] else (fill + ["action", "plan"])
        tries = 0
        while total_words() + (words(closing["text"]) if closing else 0) < 15 and tries < 12:
            tries += 1
            if closing is None and tcode in self.banks.closings:
                e = self.pick(case, [x for x in self.banks.closings[tcode] if self.placed_ok(x, case, stage)])
                if e is not None:
                    t = self.fill(case, e, date)
                    if not conflict_text(t):
                        closing = {"sec": "plan", "text": t, "labels": [], "entry": e}
                        continue
            add_cat(rng.choice(pad))
        # --- arrange
        body = neutral + near_items
        for g in gaps:
            body.insert(rng.randint(0, len(body)), g)
        by_sec = {s: [] for s in SECTIONS}
        if opening:
            by_sec["purpose"].append(opening)
        for x in body:
            by_sec[x["sec"]].append(x)
        if closing:
            by_sec["plan"].append(closing)
        text = self.render(case, tcode, by_sec, bucket, conflict_text)
        if words(text) > 400:
            return None
        evidence = collections.OrderedDict()
        for lab in LABELS:
            if lab in present:
                evidence[lab] = []
        for g in gaps:
            for lab in g["labels"]:
                for s in SENT_SPLIT.split(g["text"]):
                    if s and s not in evidence[lab]:
                        evidence[lab].append(s)
        hard = None
        if flags["absence"]:
            hard = "absence"
        elif len(present) == 1 and len(gaps) == 1 and words(text) >= 250 and \
                len(next(iter(evidence.values()))) == 1:
            hard = "long_one_sentence"
        elif near_items and not present:
            hard = "near_miss"
        return {"text": text, "evidence": evidence, "labels": [l for l in LABELS if l in present],
                "hard": hard, "gaps": [(l, g["entry"].topic) for g in gaps for l in g["labels"]],
                "near": (near_label, near_items[0]["entry"].topic) if near_items else None}

    def render(self, case, tcode, by_sec, bucket, conflict_text=lambda t: False):
        rng = self.rng
        n_items = sum(len(v) for v in by_sec.values())
        if bucket == "one" or n_items <= 2:
            mode = "prose"
        else:
            mode = wchoice(rng, list(case.style["format"].items()))
            if mode == "bullets" and n_items > 12:
                mode = rng.choice(["prose", "headed"])
        if mode == "prose":
            paras, cur = [], []
            for s in SECTIONS:
                cur += [x["text"] for x in by_sec[s]]
                if s in ("voice", "analysis") and cur and rng.random() < 0.5:
                    paras.append(" ".join(cur))
                    cur = []
            if cur:
                paras.append(" ".join(cur))
            return ("\n\n" if rng.random() < 0.7 else "\n").join(paras)
        if mode == "headed":
            heads = self.banks.headings[tcode]
            inline = rng.random() < 0.6
            blocks = []
            for s in SECTIONS:
                if not by_sec[s]:
                    continue
                h = rng.choice([x for x in heads[s] if not conflict_text(x)] or ["Notes:"])
                body = " ".join(self.strip_head(x) if i == 0 else x["text"] for i, x in enumerate(by_sec[s]))
                blocks.append(h + (" " if inline else "\n") + body)
            return ("\n" if inline else "\n\n").join(blocks)
        bullet = rng.choice(["- ", "• ", "* "])
        lines = []
        first = by_sec["purpose"]
        if first:
            lines.append(" ".join(x["text"] for x in first))
        rest = [x for s in SECTIONS[1:] for x in by_sec[s]]
        plan_head = rng.random() < 0.4
        for s in SECTIONS[1:]:
            if s == "plan" and plan_head and by_sec[s]:
                lines.append(rng.choice([x for x in self.banks.headings[tcode]["plan"] if not conflict_text(x)]
                                        or ["Actions:"]))
            for x in by_sec[s]:
                lines.append(bullet + (self.strip_head(x) if s == "plan" and plan_head else x["text"]))
        if not rest:
            return "\n".join(lines)
        return "\n".join(lines)

    @staticmethod
    def strip_head(item):
        """Drop a leading 'Actions:' from a neutral item rendered under an Actions heading."""
        t = item["text"]
        if item["labels"]:
            return t
        m = re.match(r"(Actions agreed|Actions|Outcome|Decision(?: of the strategy discussion)?): (.*)", t)
        if m:
            t = m.group(2)
            t = t[0].upper() + t[1:]
        return t

    # ----------------------------------------------------------------- uniqueness

    def too_similar(self, text):
        if text in self.texts:
            return True
        sh = shingles(text)
        counts = collections.Counter()
        for s in sh:
            for j in self.sh_index.get(s, ()):
                counts[j] += 1
        for j, inter in counts.items():
            union = len(sh) + len(self.sh_sets[j]) - inter
            if union and inter / union > 0.8:
                return True
        return False

    def register(self, text):
        self.texts.add(text)
        sh = shingles(text)
        j = len(self.sh_sets)
        self.sh_sets.append(sh)
        for s in sh:
            self.sh_index[s].append(j)

    # ----------------------------------------------------------------- main loop

    def run(self, n_cases):
        rng = self.rng
        for cno in range(1, n_cases + 1):
            case = self.make_case(cno)
            for i, stage in enumerate(case.stages):
                self._idx = i
                tcode = STAGE_TYPE[stage]
                date = case.dates[i]
                note = None
                for attempt in range(12):
                    author = self.author_for(case, stage)
                    rk = self.rolekind(author, tcode)
                    labels = self.choose_labels(case, tcode, author, rk, stage)
                    force = {}
                    near = None
                    if SHORT["mgmt"] in labels and tcode == "md" and rk == "m" and rng.random() < 0.5:
                        force["terse"] = True
                        labels = [SHORT["mgmt"]]
                    if SHORT["mgmt"] in labels and tcode in ("cl", "as", "ct") and rk == "w":
                        force["absence_pref"] = rng.random() < 0.8
                    if len(labels) == 1 and tcode in ("hv", "as", "me", "sd", "su") and rng.random() < 0.2:
                        force["long1"] = True
                    if not labels and rng.random() < 0.27:
                        opts = []
                        for code, w in NEAR_W[tcode].items():
                            lab = SHORT[code]
                            if any(self.compatible(e, case, tcode, author, rk, stage) for e in self.banks.near[lab]):
                                opts.append((lab, w))
                        if opts:
                            near = wchoice(rng, opts)
                    res = self.compose(case, i, stage, tcode, author, rk, labels, near, date, force)
                    if res is None:
                        self.rejected["compose_failed"] += 1
                        continue
                    if self.too_similar(res["text"]):
                        self.rejected["near_duplicate"] += 1
                        continue
                    note = res
                    break
                if note is None:
                    raise RuntimeError("could not compose note %s-%02d" % (case.id, i + 1))
                self.register(note["text"])
                nid = "%s-%02d" % (case.id, i + 1)
                self.notes.append({
                    "note_id": nid, "case_id": case.id, "date": date.isoformat(),
                    "author_role": author, "note_type": TYPE_CODES[tcode], "text": note["text"],
                    "labels": note["labels"], "evidence": dict(note["evidence"]),
                    "origin": "generator", "hard_case": note["hard"], "pair_of": None,
                    "_gaps": note["gaps"], "_near": note["near"], "_case": cno,
                })
        self.pair_near_misses()
        return self.notes

    def pair_near_misses(self):
        rng = self.rng
        by_label = collections.defaultdict(list)
        for n in self.notes:
            for lab, topic in n["_gaps"]:
                by_label[lab].append((n, topic))
        for n in self.notes:
            if n["hard_case"] != "near_miss":
                continue
            lab, topic = n["_near"]
            cands = by_label[lab]
            same_case = [m for m, t in cands if t == topic and m["_case"] == n["_case"]]
            same_topic = [m for m, t in cands if t == topic]
            pool = same_case or same_topic or [m for m, _ in cands]
            if not pool:
                n["hard_case"] = None
                continue
            n["pair_of"] = rng.choice(pool)["note_id"]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=20261125)
    ap.add_argument("--cases", type=int, default=230)
    ap.add_argument("-o", "--output", default="corpora/sample/generated.jsonl")
    ap.add_argument("--bank-sizes", action="store_true", help="print bank sizes and exit")
    args = ap.parse_args(argv)
    if args.bank_sizes:
        print(json.dumps(Banks().sizes(), indent=1))
        return 0
    gen = Generator(args.seed)
    notes = gen.run(args.cases)
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as f:
        for n in notes:
            out = {k: v for k, v in n.items() if not k.startswith("_")}
            f.write(json.dumps(out, ensure_ascii=False) + "\n")
    per = collections.Counter(l for n in notes for l in n["labels"])
    print("wrote %d notes in %d cases to %s" % (len(notes), args.cases, args.output))
    print("label counts:", json.dumps({l: per[l] for l in LABELS}))
    print("candidates redrawn:", dict(gen.rejected))
    return 0


if __name__ == "__main__":
    sys.exit(main())
