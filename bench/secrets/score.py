#!/usr/bin/env python3
"""Score Warden's and secretlint's secret findings against labels.json (see README.md).

usage: score.py --root DIR [--warden warden.json] [--secretlint sl1.json sl2.json ...]
                [--warden-seconds S] [--secretlint-seconds S] [--providers]

A finding is a true positive when it points at a labeled secret's value: Warden by
location.file + location.pointer, secretlint by file + the string value whose text span
holds the start of the reported range. Several findings on one value count once; every
other flagged value counts as one false positive. Standard library only.
"""
import argparse
import bisect
import json
import os
import sys

FAMILIES = ["cloud", "code-hosting", "chat", "payment", "ai", "messaging", "saas", "private-key", "jwt",
            "url-credentials", "basic-auth", "generic"]

# Which rule of @secretlint/secretlint-rule-preset-recommend 12.0.0 has a pattern for each planted
# format (read from the bundled preset module). "off" = rule exists but the preset disables it.
SECRETLINT_RULE = {
    "aws-access-key-pair": "aws", "aws-secret-access-key": "aws", "aws-access-key-id": "off (aws, enableIDScanRule=false)",
    "hashicorp-vault-token": "hashicorp-vault",
    "github-classic-pat": "github", "github-oauth-token": "github", "github-fine-grained-pat": "github", "gitlab-pat": "gitlab",
    "npm-token": "npm", "docker-hub-pat": "docker",
    "slack-bot-token": "slack", "slack-user-token": "slack", "slack-webhook": "slack",
    "openai-project-key": "openai", "openai-legacy-key": "openai", "anthropic-api-key": "anthropic", "huggingface-token": "huggingface",
    "groq-api-key": "groq", "sendgrid-api-key": "sendgrid", "notion-token": "notion", "shopify-admin-token": "shopify",
    "linear-api-key": "linear", "figma-pat": "figma", "grafana-service-account-token": "grafana", "databricks-token": "databricks",
    "rsa-private-key": "privatekey", "ec-private-key": "privatekey", "pkcs8-private-key": "privatekey", "openssh-private-key": "privatekey",
    "postgres-url": "database-connection-string", "mysql-url": "database-connection-string", "mongodb-url": "database-connection-string",
    "https-url-credentials": "basicauth",
}


def sl_covers(provider):
    r = SECRETLINT_RULE.get(provider)
    return bool(r) and not r.startswith("off")


# ---- a small JSON tokenizer that records the span of every string value -----------------------

class Spans:
    """Pointer -> (start, end) character offsets of each string value (quotes included)."""

    def __init__(self, text):
        self.text, self.i, self.values, self.keys = text, 0, {}, []
        self.ws()
        self.value("")
        self.starts = sorted((s, e, p) for p, (s, e) in self.values.items())
        self.keys.sort()

    def ws(self):
        t, i = self.text, self.i
        while i < len(t) and t[i] in " \t\r\n":
            i += 1
        self.i = i

    def string(self):
        t, i = self.text, self.i
        assert t[i] == '"', (i, t[i:i + 20])
        start, i = i, i + 1
        while t[i] != '"':
            i += 2 if t[i] == "\\" else 1
        self.i = i + 1
        return start, self.i, json.loads(t[start:self.i])

    def value(self, ptr):
        t = self.text
        c = t[self.i]
        if c == '"':
            s, e, _ = self.string()
            self.values[ptr] = (s, e)
        elif c == "{":
            self.i += 1
            self.ws()
            if t[self.i] == "}":
                self.i += 1
                return
            while True:
                self.ws()
                ks, ke, k = self.string()
                self.keys.append((ks, ke))
                self.ws()
                assert t[self.i] == ":"
                self.i += 1
                self.ws()
                self.value(ptr + "/" + k.replace("~", "~0").replace("/", "~1"))
                self.ws()
                if t[self.i] == ",":
                    self.i += 1
                    continue
                assert t[self.i] == "}"
                self.i += 1
                return
        elif c == "[":
            self.i += 1
            self.ws()
            if t[self.i] == "]":
                self.i += 1
                return
            n = 0
            while True:
                self.ws()
                self.value(f"{ptr}/{n}")
                n += 1
                self.ws()
                if t[self.i] == ",":
                    self.i += 1
                    continue
                assert t[self.i] == "]"
                self.i += 1
                return
        else:
            j = self.i
            while j < len(t) and t[j] not in ",}] \t\r\n":
                j += 1
            self.i = j

    def containing(self, pos):
        """Pointer of the string value whose span holds pos, else None."""
        k = bisect.bisect_right(self.starts, (pos, float("inf"), "")) - 1
        if k >= 0:
            s, e, p = self.starts[k]
            if s <= pos < e:
                return p
        return None

    def overlapping(self, a, b):
        return [p for s, e, p in self.starts if s < b and a < e]


# ---- scoring ----------------------------------------------------------------------------------

def rel(root, f):
    f = f.split("!")[0]
    return os.path.relpath(os.path.abspath(f), root)


def load_warden(path, root, notes):
    with open(path) as f:
        d = json.load(f)
    hits = {}
    for fd in d.get("findings", []):
        if not fd.get("rule", "").startswith("WD-SEC-"):
            continue
        loc = fd.get("location") or {}
        key = (rel(root, loc.get("file", "")), loc.get("pointer", ""))
        hits.setdefault(key, []).append(fd["rule"])
    return hits


def load_secretlint(paths, root, spans, labeled, notes):
    hits = {}
    for path in paths:
        with open(path) as f:
            results = json.load(f)
        for r in results:
            fr = rel(root, r["filePath"])
            for m in r.get("messages", []):
                a, b = m["range"]
                sp = spans.get(fr)
                ptr = sp.containing(a) if sp else None
                if ptr is None and sp:
                    over = sp.overlapping(a, b)
                    lab = [p for p in over if (fr, p) in labeled]
                    ptr = (lab or over or [None])[0]
                    notes["secretlint range starts outside a string value (key text or between tokens), matched by overlap"] += 1
                if sp and ptr is not None and len(sp.overlapping(a, b)) > 1:
                    notes["secretlint range runs past the end of its string value (value taken from the range start)"] += 1
                if ptr is None:
                    ptr = f"@{a}-{b}"
                    notes["secretlint range overlaps no string value (counted as a false positive)"] += 1
                hits.setdefault((fr, ptr), []).append(m.get("ruleId", "?").split("/")[-1].replace("secretlint-rule-", ""))
    return hits


def score(hits, secrets, decoys):
    tp = {k for k in hits if k in secrets}
    fp = {k: hits[k] for k in hits if k not in secrets}
    return tp, fp


def pct(a, b):
    return f"{100.0 * a / b:5.1f}%" if b else "    -"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--warden")
    ap.add_argument("--secretlint", nargs="*", default=[])
    ap.add_argument("--warden-seconds", type=float)
    ap.add_argument("--secretlint-seconds", type=float)
    ap.add_argument("--secretlint-version", default="")
    ap.add_argument("--providers", action="store_true", help="also print recall per provider format")
    a = ap.parse_args()
    root = os.path.abspath(a.root)
    with open(os.path.join(root, "labels.json")) as f:
        L = json.load(f)
    secrets = {(s["file"], s["pointer"]): s for s in L["secrets"]}
    decoys = {(d["file"], d["pointer"]): d for d in L["decoys"]}
    assert len(secrets) == len(L["secrets"]), "two labeled secrets share one value"
    spans = {}
    for fr in L["files"]:
        with open(os.path.join(root, fr), encoding="utf-8") as f:
            spans[fr] = Spans(f.read())
    for k in list(secrets) + list(decoys):
        assert k[1] in spans[k[0]].values, f"label pointer not a string value: {k}"

    from collections import Counter
    notes = Counter()
    tools = []
    if a.warden:
        tools.append(("Warden", load_warden(a.warden, root, notes), a.warden_seconds))
    if a.secretlint:
        tools.append(("secretlint", load_secretlint(a.secretlint, root, spans, secrets, notes), a.secretlint_seconds))

    res = []
    for name, hits, secs in tools:
        tp, fp = score(hits, secrets, decoys)
        dup = sum(len(v) - 1 for k, v in hits.items() if len(v) > 1)
        if dup:
            notes[f"{name}: extra findings on an already flagged value (counted once)"] += dup
        # findings that point at a node or object holding a labeled value, not at the value itself
        anc = 0
        for (fr, p) in fp:
            if any(sf == fr and sp.startswith(p + "/") for (sf, sp) in secrets):
                anc += 1
        if anc:
            notes[f"{name}: findings pointing at an ancestor of a labeled value (counted as false positive; the secret as missed)"] += anc
        outside = sum(1 for (fr, p) in hits if fr not in spans)
        if outside:
            notes[f"{name}: findings in files outside the labeled set"] += outside
        res.append((name, tp, fp, secs))

    fam_lab = Counter(s["family"] for s in secrets.values())
    fam_cov = Counter(s["family"] for s in secrets.values() if sl_covers(s["provider"]))

    def fp_family(k):
        d = decoys.get(k)
        return d["imitates"] if d and d.get("imitates") else None

    print()
    head = f"{'family':<16} {'labeled':>7} {'sl-rule':>7}"
    for name, *_ in res:
        head += f" | {name + ' recall':>22} {'FPs':>6}"
    print(head)
    print("-" * len(head))
    rows = FAMILIES + [None]
    for fam in rows:
        if fam is None:
            line = f"{'(no family)':<16} {'':>7} {'':>7}"
        else:
            line = f"{fam:<16} {fam_lab[fam]:>7} {fam_cov[fam]:>7}"
        for name, tp, fp, secs in res:
            nfp = sum(1 for k in fp if fp_family(k) == fam)
            if fam is None:
                line += f" | {'':>22} {nfp:>6}"
            else:
                n = sum(1 for k in tp if secrets[k]["family"] == fam)
                line += f" | {f'{n:>3}/{fam_lab[fam]:<3} {pct(n, fam_lab[fam])}':>22} {nfp:>6}"
        print(line)
    print("-" * len(head))
    total = len(secrets)
    line = f"{'total':<16} {total:>7} {sum(fam_cov.values()):>7}"
    for name, tp, fp, secs in res:
        line += f" | {f'{len(tp):>3}/{total:<3} {pct(len(tp), total)}':>22} {len(fp):>6}"
    print(line)
    print("(sl-rule: labeled secrets whose format has a rule in secretlint's recommend preset; FPs per family: flagged decoys that imitate"
          " that family; '(no family)': flagged high-entropy decoys and unlabeled values)")
    print()
    for name, tp, fp, secs in res:
        prec = len(tp) / (len(tp) + len(fp)) if tp or fp else 0.0
        cov = [k for k in secrets if sl_covers(secrets[k]["provider"])]
        cov_tp = sum(1 for k in cov if k in tp)
        print(f"{name:<11} precision {prec:6.1%}  recall {len(tp) / total:6.1%}  "
              f"recall on secretlint-covered formats {cov_tp}/{len(cov)} ({pct(cov_tp, len(cov)).strip()})  "
              f"TP {len(tp)}  FN {total - len(tp)}  FP {len(fp)}" + (f"  wall {secs:.2f} s" if secs is not None else ""))
    kinds = ["placeholder", "expression", "high-entropy", "documentation"]
    print()
    planted = Counter(d["kind"] for d in decoys.values())
    n_clean = sum(1 for f in L["files"] if f.startswith("clean/"))
    print("false positives by decoy kind (planted: " + ", ".join(f"{k} {planted[k]}" for k in kinds) + f"; {n_clean} files without secrets):")
    for name, tp, fp, secs in res:
        c = Counter(decoys[k]["kind"] if k in decoys else ("file without secrets" if k[0].startswith("clean/") else "unlabeled value") for k in fp)
        print(f"  {name:<11} " + "  ".join(f"{k} {c.get(k, 0)}" for k in kinds + ["unlabeled value", "file without secrets"]))
    if a.providers:
        print()
        head = f"{'provider format':<32} {'family':<16} {'n':>2}" + "".join(f" {n:>10}" for n, *_ in res) + "  secretlint rule"
        print(head)
        provs = [p["provider"] for p in L["providers"]]
        for pv in provs:
            ks = [k for k in secrets if secrets[k]["provider"] == pv]
            line = f"{pv:<32} {secrets[ks[0]]['family']:<16} {len(ks):>2}"
            for name, tp, fp, secs in res:
                line += f" {sum(1 for k in ks if k in tp):>10}"
            print(line + "  " + SECRETLINT_RULE.get(pv, "-"))
        for name, tp, fp, secs in res:
            ex = Counter((decoys[k]["kind"] + ": " + decoys[k]["what"][:60]) if k in decoys else ("unlabeled: " + k[1]) for k in fp)
            if ex:
                print(f"\n{name} false positives, most common:")
                for t, n in ex.most_common(12):
                    print(f"  {n:>3}  {t!r}")
    if notes:
        print()
        print("scoring notes:")
        for k, v in sorted(notes.items()):
            print(f"  {v:>4}  {k}")


if __name__ == "__main__":
    sys.exit(main())
