#!/usr/bin/env python3
"""Labeled secrets benchmark set for Warden (issue 4, "Measure, side by side").

Writes realistic workflow exports (n8n workflows, Node-RED flows, Power Automate
definitions, Make blueprints) with planted, fabricated secrets and decoys into a
folder, plus labels.json that says, for every planted secret and every decoy, the
file and the JSON pointer of the string value that holds it.

usage: make_labeled.py [OUT_DIR] [--seed N]    (default bench/.cache/labeled/, seed 4)

Standard library only, deterministic for a given seed. Every secret is random and
fabricated (format-correct prefixes, lengths, charsets, GitHub CRC32 checksums, JWT
structure, PEM framing); where the format leaves room, values carry a visible fake
marker ("EXAMPLE", "FAKE", runs of repeated digits). Nothing is copied from any
real export.
"""
import base64
import json
import os
import random
import shutil
import string
import sys
import zlib

SEED = 4
N_SECRETS_PER_PROVIDER = 6       # x 76 provider formats -> 456 planted secrets, in ~250 files
N_CLEAN_FILES = 50

UP = string.ascii_uppercase
LO = string.ascii_lowercase
DIG = string.digits
HEX = "0123456789abcdef"
ALNUM = UP + LO + DIG
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
B62 = DIG + UP + LO              # GitHub's checksum alphabet

R = random.Random(SEED)


def rs(chars, n):
    return "".join(R.choice(chars) for _ in range(n))


def fake(chars, n, marker="FAKE"):
    """n random chars from `chars`, with a fake marker spliced in when the charset allows it."""
    if n >= len(marker) + 8 and all(c in chars for c in marker):
        cut = R.randrange(2, n - len(marker) - 2)
        return rs(chars, cut) + marker + rs(chars, n - cut - len(marker))
    if n >= 14 and "0" in chars:             # hex / digit charsets: a run of repeated zeros
        cut = R.randrange(2, n - 8)
        return rs(chars, cut) + "000000" + rs(chars, n - cut - 6)
    return rs(chars, n)


def uuid4():
    h = rs(HEX, 32)
    h = h[:12] + "4" + h[13:16] + R.choice("89ab") + h[17:]
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def rbytes(n):
    return bytes(R.randrange(256) for _ in range(n))


def base62(n, width):
    out = ""
    while n:
        n, r = divmod(n, 62)
        out = B62[r] + out
    return out.rjust(width, "0")


# ---------------------------------------------------------------------------------------------
# Secret formats. Each returns the secret text; PROVIDERS says family, provider, kind (how it
# may be placed: tok = bare token, url = whole URL, basic = Authorization header value,
# blob = code or config text holding it) and a header / host / variable name for realism.
# ---------------------------------------------------------------------------------------------

def gh_token(prefix):
    body = fake(ALNUM, 30)
    return f"{prefix}_{body}{base62(zlib.crc32(body.encode()) & 0xffffffff, 6)}"


def jwt(claims, alg="HS256"):
    head = b64url(json.dumps({"alg": alg, "typ": "JWT"}, separators=(",", ":")).encode())
    body = b64url(json.dumps(claims, separators=(",", ":")).encode())
    return f"{head}.{body}.{b64url(rbytes(32 if alg.startswith('HS') else 256))}"


def pem(kind):
    if kind == "rsa":
        label, der = "RSA PRIVATE KEY", b"\x30\x82\x04\xa4\x02\x01\x00\x02\x82\x01\x01\x00" + rbytes(1180)
    elif kind == "ec":
        label, der = "EC PRIVATE KEY", b"\x30\x77\x02\x01\x01\x04\x20" + rbytes(112)
    elif kind == "pkcs8":
        label, der = "PRIVATE KEY", b"\x30\x82\x04\xbe\x02\x01\x00\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01\x05\x00" + rbytes(1190)
    else:
        label, der = "OPENSSH PRIVATE KEY", b"openssh-key-v1\x00" + b"\x00\x00\x00\x04none" + rbytes(380)
    body = base64.b64encode(der).decode()
    lines = [body[i:i + (70 if kind == "openssh" else 64)] for i in range(0, len(body), 70 if kind == "openssh" else 64)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"


def aws_id():
    return "AKIA" + fake(UP + "234567", 16, "EXAMPLE")


def aws_secret():
    return fake(ALNUM + "/+", 40, "EXAMPLE")


USERS = ["svc_reporting", "n8n_etl", "billing_sync", "deploy", "integration", "crm_bot", "flowrunner", "ops_sync",
         "warehouse", "etl_loader"]
HOSTS = ["pg-prod-01.northwind-data.net", "db.contoso-retail.io", "mysql.fabrikam-hr.net", "cluster0.tailspin-apps.io",
         "queue.adventure-works.cloud", "cache.wingtip-toys.net", "files.litware-inc.net", "sftp.proseware.biz"]


def pw(n=20):
    return fake(ALNUM, n)


PROVIDERS = [
    # family, provider, kind, gen, header, api host / variable name
    ("cloud", "aws-access-key-pair", "blob", None, None, "aws"),
    ("cloud", "aws-access-key-id", "tok", aws_id, None, "aws_access_key_id"),
    ("cloud", "aws-secret-access-key", "tok", aws_secret, None, "aws_secret_access_key"),
    ("cloud", "gcp-api-key", "tok", lambda: "AIza" + fake(B64URL, 35), None, "maps.googleapis.com/maps/api/geocode/json"),
    ("cloud", "gcp-oauth-client-secret", "tok", lambda: "GOCSPX-" + fake(B64URL, 28), None, "client_secret"),
    ("cloud", "azure-storage-connection-string", "blob", None, None, "azure-storage"),
    ("cloud", "azure-sas-url", "url", None, None, None),
    ("cloud", "azure-ad-client-secret", "tok", lambda: rs(ALNUM, 3) + R.choice(DIG) + "Q~" + fake(ALNUM + "_-.~", 34), None, "client_secret"),
    ("cloud", "digitalocean-pat", "tok", lambda: "dop_v1_" + fake(HEX, 64), "Authorization", "api.digitalocean.com/v2/droplets"),
    ("cloud", "hashicorp-vault-token", "tok", lambda: "hvs." + fake(B64URL, 94), "X-Vault-Token", "vault.northwind-data.net/v1/secret/data/app"),
    ("code-hosting", "github-classic-pat", "tok", lambda: gh_token("ghp"), "Authorization", "api.github.com/repos/acme/site/issues"),
    ("code-hosting", "github-oauth-token", "tok", lambda: gh_token("gho"), "Authorization", "api.github.com/user/repos"),
    ("code-hosting", "github-fine-grained-pat", "tok", lambda: "github_pat_" + fake(ALNUM, 22) + "_" + fake(ALNUM, 59), "Authorization", "api.github.com/repos/acme/site/contents/data.json"),
    ("code-hosting", "gitlab-pat", "tok", lambda: "glpat-" + fake(B64URL, 20), "PRIVATE-TOKEN", "gitlab.com/api/v4/projects/4711/issues"),
    ("code-hosting", "npm-token", "tok", lambda: "npm_" + fake(ALNUM, 36), "Authorization", "registry.npmjs.org/-/npm/v1/tokens"),
    ("code-hosting", "docker-hub-pat", "tok", lambda: "dckr_pat_" + fake(B64URL, 27), "Authorization", "hub.docker.com/v2/repositories/acme/"),
    ("chat", "slack-bot-token", "tok", lambda: f"xoxb-{'1' * 11}-{rs(DIG, 13)}-{fake(ALNUM, 24)}", "Authorization", "slack.com/api/chat.postMessage"),
    ("chat", "slack-user-token", "tok", lambda: f"xoxp-{'2' * 11}-{rs(DIG, 12)}-{rs(DIG, 13)}-{fake(HEX, 32)}", "Authorization", "slack.com/api/conversations.history"),
    ("chat", "slack-webhook", "url", lambda: f"https://hooks.slack.com/services/T{fake(UP + DIG, 10)}/B{fake(UP + DIG, 10)}/{fake(ALNUM, 24)}", None, None),
    ("chat", "discord-webhook", "url", lambda: f"https://discord.com/api/webhooks/{'1' * 6}{rs(DIG, 12)}/{fake(B64URL, 68)}", None, None),
    ("chat", "teams-webhook", "url", lambda: f"https://contoso.webhook.office.com/webhookb2/{uuid4()}@{uuid4()}/IncomingWebhook/{fake(HEX, 32)}/{uuid4()}", None, None),
    ("chat", "telegram-bot-token", "url", lambda: f"https://api.telegram.org/bot{'7' * 4}{rs(DIG, 6)}:AA{fake(B64URL, 33)}/sendMessage", None, None),
    ("chat", "discord-bot-token", "tok", lambda: R.choice("MNO") + rs(ALNUM, 23) + "." + rs(B64URL, 6) + "." + fake(B64URL, 27), "Authorization", "discord.com/api/v10/channels/111111111111111111/messages"),
    ("payment", "stripe-secret-key", "tok", lambda: "sk_live_" + fake(ALNUM, 99), "Authorization", "api.stripe.com/v1/charges"),
    ("payment", "stripe-restricted-key", "tok", lambda: "rk_live_" + fake(ALNUM, 99), "Authorization", "api.stripe.com/v1/customers"),
    ("payment", "square-access-token", "tok", lambda: "EAAA" + fake(B64URL, 60), "Authorization", "connect.squareup.com/v2/payments"),
    ("payment", "square-oauth-secret", "tok", lambda: "sq0csp-" + fake(B64URL, 43), None, "client_secret"),
    ("payment", "paypal-braintree-token", "tok", lambda: f"access_token$production${fake(LO + DIG, 16)}${fake(HEX, 32)}", "Authorization", "api.braintreegateway.com/merchants"),
    ("ai", "openai-project-key", "tok", lambda: "sk-proj-" + fake(B64URL, 74) + "T3BlbkFJ" + fake(B64URL, 74), "Authorization", "api.openai.com/v1/chat/completions"),
    ("ai", "openai-legacy-key", "tok", lambda: "sk-" + fake(ALNUM, 20) + "T3BlbkFJ" + fake(ALNUM, 20), "Authorization", "api.openai.com/v1/embeddings"),
    ("ai", "anthropic-api-key", "tok", lambda: "sk-ant-api03-" + fake(B64URL, 93) + "AA", "x-api-key", "api.anthropic.com/v1/messages"),
    ("ai", "google-ai-key", "tok", lambda: "AIza" + fake(B64URL, 35), "x-goog-api-key", "generativelanguage.googleapis.com/v1beta/models/gemini-1.5-flash:generateContent"),
    ("ai", "huggingface-token", "tok", lambda: "hf_" + fake(UP + LO, 34), "Authorization", "api-inference.huggingface.co/models/facebook/bart-large-cnn"),
    ("ai", "groq-api-key", "tok", lambda: "gsk_" + fake(ALNUM, 52), "Authorization", "api.groq.com/openai/v1/chat/completions"),
    ("ai", "perplexity-api-key", "tok", lambda: "pplx-" + fake(ALNUM, 48), "Authorization", "api.perplexity.ai/chat/completions"),
    ("ai", "replicate-token", "tok", lambda: "r8_" + fake(ALNUM, 37), "Authorization", "api.replicate.com/v1/predictions"),
    ("ai", "mistral-api-key", "tok", lambda: fake(ALNUM, 32), "Authorization", "api.mistral.ai/v1/chat/completions"),
    ("messaging", "twilio-api-key", "tok", lambda: "SK" + fake(HEX, 32), None, "twilio_api_key"),
    ("messaging", "twilio-auth-token", "tok", lambda: fake(HEX, 32), None, "twilio_auth_token"),
    ("messaging", "sendgrid-api-key", "tok", lambda: "SG." + fake(ALNUM, 22) + "." + fake(ALNUM, 43), "Authorization", "api.sendgrid.com/v3/mail/send"),
    ("messaging", "mailgun-api-key", "tok", lambda: "key-" + fake(HEX, 32), None, "mailgun_api_key"),
    ("messaging", "mailchimp-api-key", "tok", lambda: fake(HEX, 32) + "-us" + R.choice(["6", "12", "21"]), None, "mailchimp_api_key"),
    ("saas", "airtable-pat", "tok", lambda: "pat" + fake(ALNUM, 14) + "." + fake(HEX, 64), "Authorization", "api.airtable.com/v0/appEXAMPLE000000/Leads"),
    ("saas", "notion-token", "tok", lambda: "ntn_" + "1" * 5 + rs(DIG, 6) + fake(ALNUM, 35), "Authorization", "api.notion.com/v1/pages"),
    ("saas", "hubspot-private-app-token", "tok", lambda: "pat-na1-" + uuid4(), "Authorization", "api.hubapi.com/crm/v3/objects/contacts"),
    ("saas", "shopify-admin-token", "tok", lambda: "shpat_" + fake(HEX, 32), "X-Shopify-Access-Token", "acme-outdoor.myshopify.com/admin/api/2024-07/orders.json"),
    ("saas", "atlassian-api-token", "tok", lambda: "ATATT3xFfGF0" + fake(B64URL, 171) + "=" + rs(HEX.upper(), 8), None, "jira_api_token"),
    ("saas", "supabase-service-role-jwt", "tok", lambda: jwt({"iss": "supabase", "ref": "a" * 20, "role": "service_role", "iat": 1700000000, "exp": 2015576000}), "Authorization", "aaaaaaaaaaaaaaaaaaaa.supabase.co/rest/v1/leads"),
    ("saas", "pinecone-api-key", "tok", lambda: "pcsk_" + rs(ALNUM, 5) + "_" + fake(ALNUM, 63), "Api-Key", "acme-index-1111111.svc.aped-4627-b74a.pinecone.io/vectors/upsert"),
    ("saas", "zapier-hook-url", "url", lambda: f"https://hooks.zapier.com/hooks/catch/{'1' * 4}{rs(DIG, 3)}/{fake(LO + DIG, 6)}/", None, None),
    ("saas", "make-webhook-url", "url", lambda: f"https://hook.eu1.make.com/{fake(LO + DIG, 32)}", None, None),
    ("saas", "linear-api-key", "tok", lambda: "lin_api_" + fake(ALNUM, 40), "Authorization", "api.linear.app/graphql"),
    ("saas", "figma-pat", "tok", lambda: "figd_" + fake(B64URL, 40), "X-Figma-Token", "api.figma.com/v1/files/FAKE0000"),
    ("saas", "grafana-service-account-token", "tok", lambda: "glsa_" + fake(ALNUM, 32) + "_" + rs(HEX, 8), "Authorization", "acme.grafana.net/api/annotations"),
    ("saas", "databricks-token", "tok", lambda: "dapi" + fake(HEX, 32), "Authorization", "adb-1111111111111111.1.azuredatabricks.net/api/2.1/jobs/run-now"),
    ("saas", "clickup-token", "tok", lambda: "pk_" + "1" * 4 + rs(DIG, 4) + "_" + fake(UP + DIG, 32), "Authorization", "api.clickup.com/api/v2/list/900100/task"),
    ("saas", "typeform-token", "tok", lambda: "tfp_" + fake(ALNUM, 44) + "_" + fake(ALNUM, 14), "Authorization", "api.typeform.com/forms"),
    ("private-key", "rsa-private-key", "blob", lambda: pem("rsa"), None, None),
    ("private-key", "ec-private-key", "blob", lambda: pem("ec"), None, None),
    ("private-key", "pkcs8-private-key", "blob", lambda: pem("pkcs8"), None, None),
    ("private-key", "openssh-private-key", "blob", lambda: pem("openssh"), None, None),
    ("jwt", "jwt-bearer", "tok", lambda: jwt({"sub": "svc-" + rs(LO, 6), "iss": "https://auth.fabrikam-hr.net", "aud": "api", "iat": 1717000000, "exp": 2017000000, "scope": "read write"}), "Authorization", "api.fabrikam-hr.net/v2/employees"),
    ("jwt", "jwt-rs256", "tok", lambda: jwt({"sub": "1111111111", "name": "Integration", "admin": True, "iat": 1716239022}, "RS256"), "Authorization", "partner.litware-inc.net/api/orders"),
    ("url-credentials", "postgres-url", "url", lambda: f"postgresql://{R.choice(USERS)}:{pw()}@{HOSTS[0]}:5432/analytics", None, None),
    ("url-credentials", "mysql-url", "url", lambda: f"mysql://{R.choice(USERS)}:{pw()}@{HOSTS[2]}:3306/hr", None, None),
    ("url-credentials", "mongodb-url", "url", lambda: f"mongodb+srv://{R.choice(USERS)}:{pw()}@{HOSTS[3]}/orders?retryWrites=true&w=majority", None, None),
    ("url-credentials", "https-url-credentials", "url", lambda: f"https://{R.choice(USERS)}:{pw(18)}@{R.choice(['api.', 'erp.', 'reports.'])}{R.choice(HOSTS[4:])}/v1/export", None, None),
    ("url-credentials", "amqp-url", "url", lambda: f"amqps://{R.choice(USERS)}:{pw()}@{HOSTS[4]}:5671/prod", None, None),
    ("url-credentials", "redis-url", "url", lambda: f"rediss://default:{pw(32)}@{HOSTS[5]}:6380/0", None, None),
    ("basic-auth", "basic-auth-header", "basic", lambda: "Basic " + base64.b64encode(f"{R.choice(USERS)}:{pw(18)}".encode()).decode(), "Authorization", None),
    ("basic-auth", "basic-auth-password-field", "field", lambda: pw(16), None, "password"),
    ("generic", "generic-password", "tok", lambda: fake(ALNUM + "!#%*", 18), None, "password"),
    ("generic", "generic-api-key", "tok", lambda: fake(ALNUM, 40), "X-API-Key", "api.tailspin-apps.io/v1/shipments"),
    ("generic", "generic-bearer", "tok", lambda: fake(B64URL, 48), "Authorization", "api.wingtip-toys.net/v3/orders"),
    ("generic", "generic-client-secret", "tok", lambda: fake(ALNUM, 36), None, "client_secret"),
    ("generic", "generic-secret-hex", "tok", lambda: fake(HEX, 64), None, "webhook_secret"),
]
assert len({p[1] for p in PROVIDERS}) == len(PROVIDERS)


def make_secret(prov):
    """-> dict(token, and for blob/field kinds the ready value text)."""
    fam, name, kind, gen, header, ctx = prov
    if name == "aws-access-key-pair":
        kid, sec = aws_id(), aws_secret()
        code = R.choice([
            f"const AWS = require('aws-sdk');\nconst s3 = new AWS.S3({{\n  accessKeyId: '{kid}',\n  secretAccessKey: '{sec}',\n  region: 'eu-west-1'\n}});\n",
            f"// upload the export to S3\nconst creds = {{ accessKeyId: \"{kid}\", secretAccessKey: \"{sec}\" }};\n",
            f"const AWS_ACCESS_KEY_ID = '{kid}';\nconst AWS_SECRET_ACCESS_KEY = '{sec}';\n",
        ])
        return {"token": kid + " " + sec, "code": code}
    if name == "azure-storage-connection-string":
        acct = "stacme" + rs(LO + DIG, 6)
        cs = f"DefaultEndpointsProtocol=https;AccountName={acct};AccountKey={fake(B64, 86)}==;EndpointSuffix=core.windows.net"
        return {"token": cs, "code": cs}
    if name == "azure-sas-url":
        sig = fake(B64, 43) + "="
        sig = sig.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")
        url = (f"https://stacme{rs(LO + DIG, 6)}.blob.core.windows.net/exports?sv=2022-11-02&ss=b&srt=co&sp=rwdlac"
               f"&se=2027-12-31T23:59:59Z&st=2024-01-01T00:00:00Z&spr=https&sig={sig}")
        return {"token": url}
    return {"token": gen()}


# ---------------------------------------------------------------------------------------------
# Planting: a Plant object sits in the document tree where a string value goes; write_doc()
# replaces it with its text and records the JSON pointer.
# ---------------------------------------------------------------------------------------------

class Plant:
    def __init__(self, text, label):
        self.text, self.label = text, label


def esc(tok):
    return str(tok).replace("~", "~0").replace("/", "~1")


def resolve(node, path, found):
    if isinstance(node, Plant):
        found.append(("/" + "/".join(esc(p) for p in path) if path else "", node))
        return node.text
    if isinstance(node, dict):
        return {k: resolve(v, path + [k], found) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve(v, path + [i], found) for i, v in enumerate(node)]
    return node


# ---------------------------------------------------------------------------------------------
# Value templates: how a secret becomes the text of one string value, per place.
# ---------------------------------------------------------------------------------------------

RAW_AUTH = {"linear-api-key", "clickup-token"}       # these APIs take the key without "Bearer"


def header_value(prov, tok):
    """(header name, header value) for a token sent in a header."""
    fam, name, kind, gen, header, ctx = prov
    if kind == "basic":
        return "Authorization", tok
    if header is None:
        return R.choice(["X-API-Key", "api-key", "X-Auth-Token"]), tok
    if name == "discord-bot-token":
        return "Authorization", "Bot " + tok
    if header == "Authorization" and name not in RAW_AUTH:
        return "Authorization", ("token " if name.startswith("github") and R.random() < .3 else "Bearer ") + tok
    return header, tok


def api_url(prov):
    ctx = prov[5]
    return "https://" + ctx if ctx and "." in ctx and "/" in ctx else "https://api.northwind-data.net/v1/records"


VAR_NAMES = {"private-key": "privateKey", "url-credentials": "connectionString"}


def var_name(prov):
    ctx = prov[5]
    if prov[1] == "azure-storage-connection-string":
        return "storageConnectionString"
    if ctx and "." not in ctx and "-" not in ctx and ctx != "aws":
        return ctx
    return VAR_NAMES.get(prov[0], R.choice(["apiKey", "token", "api_key", "accessToken", "secret"]))


def url_var(prov):
    return {"url-credentials": "connectionString"}.get(prov[0], "sasUrl" if prov[1] == "azure-sas-url" else "webhookUrl")


def placement(prov):
    """Where this secret goes: one of header, query, url-query, set, code, url, field."""
    fam, name, kind, gen, header, ctx = prov
    if name == "aws-access-key-pair":
        return "code"
    if kind == "blob" or fam == "private-key":
        return R.choice(["code", "set"])
    if kind == "url":
        return R.choice(["url", "url", "set", "code"])
    if kind == "field":
        return "field"
    if kind == "basic":
        return R.choice(["header", "header", "code"])
    if header is None:
        return R.choice(["query", "url-query", "set", "set", "code"])
    return R.choice(["header", "header", "header", "query", "url-query", "set", "code"])


def code_text(prov, sec, lang="js"):
    """A Code / Function node body holding the secret."""
    fam, name, kind, gen, header, ctx = prov
    tok = sec["token"]
    if "code" in sec and name == "aws-access-key-pair":
        return sec["code"] + "\nawait s3.putObject({ Bucket: 'acme-exports', Key: `daily/${Date.now()}.json`, Body: JSON.stringify(items) }).promise();\nreturn items;"
    if fam == "private-key":
        js = tok.replace("\n", "\\n")
        if name != "pkcs8-private-key":      # service-account JSON only ever holds PKCS#8 keys
            return f"const jwt = require('jsonwebtoken');\nconst privateKey = `{tok}`;\nconst token = jwt.sign({{ iss: 'svc-sync' }}, privateKey, {{ algorithm: 'RS256' }});\nreturn [{{ json: {{ token }} }}];"
        return R.choice([
            f"const jwt = require('jsonwebtoken');\nconst privateKey = `{tok}`;\nconst token = jwt.sign({{ iss: 'svc-sync' }}, privateKey, {{ algorithm: 'RS256' }});\nreturn [{{ json: {{ token }} }}];",
            f"// service account for the Sheets export\nconst serviceAccount = {{\n  type: 'service_account',\n  project_id: 'acme-reporting',\n  private_key: \"{js}\",\n  client_email: 'sheets-export@acme-reporting.iam.gserviceaccount.com'\n}};\nreturn [{{ json: serviceAccount }}];",
        ])
    if kind == "url" or fam == "url-credentials":
        return R.choice([
            f"const res = await this.helpers.httpRequest({{ method: 'POST', url: '{tok}', body: {{ text: $json.summary }}, json: true }});\nreturn [{{ json: res }}];",
            f"const target = \"{tok}\";\nconst out = [];\nfor (const item of items) {{\n  out.push({{ json: {{ target, id: item.json.id }} }});\n}}\nreturn out;",
        ])
    if name == "azure-storage-connection-string":
        return f"const {{ BlobServiceClient }} = require('@azure/storage-blob');\nconst client = BlobServiceClient.fromConnectionString('{tok}');\nreturn items;"
    v = var_name(prov)
    if kind == "basic":
        return f"const headers = {{ 'Authorization': '{tok}', 'Accept': 'application/json' }};\nconst res = await this.helpers.httpRequest({{ url: 'https://erp.litware-inc.net/api/v1/invoices', headers }});\nreturn [{{ json: res }}];"
    url = api_url(prov)
    h, hv = header_value(prov, tok)
    cv = v.upper() if "_" in v else v
    prefix = hv[:hv.index(tok)]
    hexpr = f"'{prefix}' + {cv}" if prefix else cv
    return R.choice([
        f"const {cv} = '{tok}';\n\nconst response = await fetch('{url}', {{\n  method: 'POST',\n  headers: {{ '{h}': {hexpr}, 'Content-Type': 'application/json' }},\n  body: JSON.stringify($json)\n}});\nreturn [{{ json: await response.json() }}];",
        f"// TODO move to credentials\nconst config = {{\n  endpoint: '{url}',\n  {v}: \"{tok}\",\n  timeout: 30000\n}};\nreturn items.map(i => ({{ json: {{ ...i.json, endpoint: config.endpoint }} }}));",
        f"const {v} = \"{tok}\";\nconst res = await this.helpers.httpRequest({{\n  method: 'GET',\n  url: '{url}',\n  headers: {{ '{h}': '{hv}' }},\n}});\nreturn [{{ json: res }}];",
    ])


def nodered_func(prov, sec):
    fam, name, kind, gen, header, ctx = prov
    tok = sec["token"]
    if name == "aws-access-key-pair":
        return sec["code"].replace("const AWS = require('aws-sdk');\n", "") + "msg.payload = creds;\nreturn msg;"
    if fam == "private-key":
        return f"const key = `{tok}`;\nmsg.privateKey = key;\nreturn msg;"
    if kind == "url" or fam == "url-credentials" or name == "azure-storage-connection-string":
        return f"msg.url = \"{tok}\";\nmsg.method = \"POST\";\nreturn msg;"
    h, hv = header_value(prov, tok)
    if prov[4] is None and kind == "tok":
        return f"const {var_name(prov)} = '{tok}';\nmsg.payload = {{ ...msg.payload, {var_name(prov)} }};\nreturn msg;"
    return R.choice([
        f"msg.headers = {{\n    '{h}': '{hv}',\n    'Content-Type': 'application/json'\n}};\nmsg.url = '{api_url(prov)}';\nreturn msg;",
        f"const {var_name(prov)} = \"{tok}\";\nmsg.headers = msg.headers || {{}};\nmsg.headers['{h}'] = '{hv.replace(tok, '')}' + {var_name(prov)};\nreturn msg;",
    ])


def url_with_query(prov, tok):
    pname = {"gcp-api-key": "key", "google-ai-key": "key", "mailchimp-api-key": "apikey"}.get(prov[1], R.choice(["api_key", "token", "access_token", "key"]))
    return f"{api_url(prov)}?{pname}={tok}", pname


# ---------------------------------------------------------------------------------------------
# Decoys: values that must not be reported. Returns (text, kind, imitates-family, note).
# ---------------------------------------------------------------------------------------------

def png_data_uri():
    raw = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rbytes(R.randrange(180, 600)) + b"IEND\xaeB`\x82"
    return "data:image/png;base64," + base64.b64encode(raw).decode()


PLACEHOLDERS = [
    ("YOUR_API_KEY", "generic"), ("sk-...", "ai"), ("xxxxxxxx", "generic"), ("<token>", "generic"), ("changeme", "generic"),
    ("Bearer YOUR_TOKEN_HERE", "generic"), ("ghp_" + "x" * 36, "code-hosting"), ("sk-proj-XXXXXXXXXXXXXXXXXXXXXXXX", "ai"),
    ("AKIAXXXXXXXXXXXXXXXX", "cloud"), ("https://hooks.slack.com/services/XXXXXXXXX/XXXXXXXXX/XXXXXXXXXXXXXXXXXXXXXXXX", "chat"),
    ("postgres://user:password@localhost:5432/mydb", "url-credentials"), ("<YOUR_PASSWORD>", "generic"), ("********", "generic"),
    ("REPLACE_ME", "generic"), ("your-api-key-here", "generic"), ("Bearer <access_token>", "generic"), ("Basic <base64 credentials>", "basic-auth"),
    ("INSERT_API_KEY", "generic"), ("sk_live_...", "payment"), ("xoxb-your-bot-token", "chat"), ("[UPDATE ME]", "generic"),
    ("https://discord.com/api/webhooks/YOUR_WEBHOOK_ID/YOUR_WEBHOOK_TOKEN", "chat"), ("hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "ai"),
    ("https://username:password@example.com/api", "url-credentials"), ("pat-na1-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", "saas"),
    ("SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "messaging"), ("-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----", "private-key"),
    ("your_secret_here", "generic"), ("<insert your Anthropic key>", "ai"), ("TODO", "generic"),
]

N8N_EXPR = [
    ("={{ $env.OPENAI_API_KEY }}", "ai"), ("=Bearer {{ $env.HUBSPOT_TOKEN }}", "saas"), ("={{ $credentials.apiKey }}", "generic"),
    ("Bearer {{ $json.token }}", "generic"), ("={{ $('Get token').item.json.access_token }}", "generic"), ("={{ $vars.STRIPE_SECRET_KEY }}", "payment"),
    ("=Bearer {{ $json[\"access_token\"] }}", "generic"), ("={{ $env[\"SLACK_WEBHOOK_URL\"] }}", "chat"), ("=token {{ $env.GITHUB_TOKEN }}", "code-hosting"),
    ("={{ 'Basic ' + Buffer.from($env.API_USER + ':' + $env.API_PASS).toString('base64') }}", "basic-auth"),
]
N8N_CODE_EXPR = [
    ("const apiKey = $env.OPENAI_API_KEY;\nconst res = await this.helpers.httpRequest({ url: 'https://api.openai.com/v1/models', headers: { Authorization: `Bearer ${apiKey}` } });\nreturn [{ json: res }];", "ai"),
    ("const token = process.env.SLACK_BOT_TOKEN;\nif (!token) throw new Error('SLACK_BOT_TOKEN missing');\nreturn [{ json: { ok: true } }];", "chat"),
    ("const creds = await this.getCredentials('stripeApi');\nconst key = creds.secretKey;\nreturn [{ json: { hasKey: !!key } }];", "payment"),
    ("const password = $input.first().json.password;\nconst hash = require('crypto').createHash('sha256').update(password).digest('hex');\nreturn [{ json: { hash } }];", "generic"),
]
NR_EXPR = [
    ("${SLACK_TOKEN}", "chat"), ("Bearer ${API_TOKEN}", "generic"), ("https://api.northwind-data.net/v1/records?key=${NW_API_KEY}", "generic"),
    ("${DB_PASSWORD}", "generic"), ("https://${MQTT_USER}:${MQTT_PASS}@broker.wingtip-toys.net/", "url-credentials"),
]
NR_CODE_EXPR = [
    ("const key = env.get('OPENAI_API_KEY');\nmsg.headers = { Authorization: 'Bearer ' + key };\nreturn msg;", "ai"),
    ("msg.headers = { 'x-api-key': flow.get('apiKey') };\nreturn msg;", "generic"),
    ("const token = global.get('github_token');\nmsg.headers = { Authorization: `token ${token}` };\nreturn msg;", "code-hosting"),
    ("const pass = env.get(\"SMTP_PASSWORD\") || \"\";\nmsg.auth = { user: 'alerts', pass };\nreturn msg;", "generic"),
]
MAKE_EXPR = [
    ("{{connection.apiKey}}", "generic"), ("Bearer {{1.token}}", "generic"), ("Bearer {{2.data.access_token}}", "generic"),
    ("{{var.organization.OPENAI_KEY}}", "ai"), ("https://api.northwind-data.net/v1/records?api_key={{3.apiKey}}", "generic"),
    ("Basic {{base64(1.user + \":\" + 1.password)}}", "basic-auth"),
]
PA_EXPR = [
    ("@parameters('apiKey')", "generic"), ("@appsetting('StripeSecretKey')", "payment"), ("Bearer @{body('Get_secret')?['value']}", "generic"),
    ("@{variables('token')}", "generic"), ("[parameters('sendgridApiKey')]", "messaging"), ("Bearer @{parameters('openaiKey')}", "ai"),
    ("@{body('Get_secret_from_Key_Vault')?['value']}", "generic"), ("https://hooks.slack.com/services/@{parameters('slackPath')}", "chat"),
    ("Basic @{base64(concat(parameters('user'), ':', parameters('password')))}", "basic-auth"),
]

DOC_NOTES = [
    ("## Setup\n1. Create a GitHub token (format: ghp_ followed by 36 characters) and store it as a credential.\n2. Never paste the token into this workflow.", "code-hosting"),
    ("Stripe secret keys start with sk_live_ (test keys with sk_test_). Put yours in the Stripe credential, not in the HTTP node.", "payment"),
    ("AWS documentation example credentials: AKIAIOSFODNN7EXAMPLE / wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY - replace with an IAM role.", "cloud"),
    ("Slack incoming webhooks look like https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX - create one per channel.", "chat"),
    ("OpenAI keys look like sk-proj-... ; set OPENAI_API_KEY in the n8n environment.", "ai"),
    ("Header: Authorization: Bearer <your token>. The token is a JWT (eyJhbGciOi...) issued by the auth server.", "jwt"),
    ("The SendGrid key has the form SG.<22 chars>.<43 chars>; create it with Mail Send permission only.", "messaging"),
    ("Database URL format: postgresql://USER:PASSWORD@HOST:5432/DB - the real one lives in the Postgres credential.", "url-credentials"),
    ("Anthropic keys begin with sk-ant-api03- and are 108 characters long.", "ai"),
    ("Private key: paste the PEM block (-----BEGIN RSA PRIVATE KEY----- ... -----END RSA PRIVATE KEY-----) into the SSH credential.", "private-key"),
    ("Shopify Admin API access tokens are shown once and start with shpat_.", "saas"),
    ("Discord webhook URL: https://discord.com/api/webhooks/{id}/{token}", "chat"),
]


def high_entropy(ctx):
    """A high-entropy non-secret: (text, field name or None, note)."""
    c = R.choice(["uuid", "sha1", "sha256", "md5", "png", "sheet", "etag", "gitsha-url", "integrity", "airtable-base",
                  "slack-channel", "notion-page", "youtube", "asset-hash", "request-id", "b64-json"])
    if c == "uuid":
        return uuid4(), R.choice(["recordId", "correlationId", "tenantId", "customerId"]), c
    if c == "sha1":
        return rs(HEX, 40), "commitSha", c
    if c == "sha256":
        return rs(HEX, 64), R.choice(["checksum", "fileSha256", "contentHash"]), c
    if c == "md5":
        return rs(HEX, 32), "md5", c
    if c == "png":
        return png_data_uri(), R.choice(["logo", "image", "avatar"]), c
    if c == "sheet":
        return "1" + rs(B64URL, 43), "documentId", c
    if c == "etag":
        return 'W/"' + rs(HEX, 32) + '"', "If-None-Match", c
    if c == "gitsha-url":
        return f"https://raw.githubusercontent.com/acme/templates/{rs(HEX, 40)}/invoice.html", "templateUrl", c
    if c == "integrity":
        return "sha512-" + base64.b64encode(rbytes(64)).decode(), "integrity", c
    if c == "airtable-base":
        return "app" + rs(ALNUM, 14), "baseId", c
    if c == "slack-channel":
        return "C0" + rs(UP + DIG, 9), "channel", c
    if c == "notion-page":
        return rs(HEX, 32), "pageId", c
    if c == "youtube":
        return rs(B64URL, 11), "videoId", c
    if c == "asset-hash":
        return f"https://cdn.contoso-retail.io/assets/app.{rs(HEX, 20)}.js", "scriptUrl", c
    if c == "request-id":
        return "req_" + rs(ALNUM, 14), "requestId", c
    return base64.b64encode(json.dumps({"orderId": R.randrange(10**6), "items": R.randrange(9), "ts": 1717000000 + R.randrange(10**6)}).encode()).decode(), "payload", c


# ---------------------------------------------------------------------------------------------
# Platform builders
# ---------------------------------------------------------------------------------------------

WORDS = ["Orders", "Leads", "Invoices", "Tickets", "Inventory", "Payroll", "Signups", "Reports", "Shipments", "Reviews", "Alerts", "Contacts"]


def title():
    return f"{R.choice(WORDS)} {R.choice(['sync', 'import', 'digest', 'router', 'alerts', 'export', 'enrichment', 'backup'])}"


class N8n:
    def __init__(self):
        self.nodes, self.x = [], -400
        self.add_node("n8n-nodes-base.webhook" if R.random() < .5 else "n8n-nodes-base.scheduleTrigger",
                      {"httpMethod": "POST", "path": rs(LO, 8), "options": {}} if R.random() < .5 else {"rule": {"interval": [{"field": "hours"}]}},
                      "Trigger", extra={"webhookId": uuid4()})

    def add_node(self, typ, params, name, tv=None, extra=None):
        n = {"parameters": params, "id": uuid4(), "name": f"{name} {len(self.nodes) + 1}", "type": typ,
             "typeVersion": tv or {"n8n-nodes-base.httpRequest": 4.2, "n8n-nodes-base.code": 2, "n8n-nodes-base.set": 3.4}.get(typ, 1),
             "position": [self.x, R.choice([0, 120, 240])]}
        if extra:
            n.update(extra)
        self.x += 220
        self.nodes.append(n)
        return n

    def filler(self):
        c = R.randrange(5)
        if c == 0:
            self.add_node("n8n-nodes-base.if", {"conditions": {"string": [{"value1": "={{ $json.status }}", "value2": "active"}]}}, "If active")
        elif c == 1:
            self.add_node("n8n-nodes-base.set", {"assignments": {"assignments": [{"id": uuid4(), "name": "source", "type": "string", "value": "website"},
                          {"id": uuid4(), "name": "email", "type": "string", "value": "={{ $json.email.toLowerCase() }}"}]}, "options": {}}, "Normalize")
        elif c == 2:
            self.add_node("n8n-nodes-base.slack", {"channel": "#ops", "text": "=New {{ $json.type }}: {{ $json.id }}", "otherOptions": {}}, "Notify",
                          extra={"credentials": {"slackApi": {"id": rs(ALNUM, 16), "name": "Slack account"}}})
        elif c == 3:
            self.add_node("n8n-nodes-base.code", {"jsCode": "return items.filter(i => i.json.total > 0);"}, "Filter")
        else:
            self.add_node("n8n-nodes-base.httpRequest", {"url": "={{ $json.callbackUrl }}", "method": "POST", "options": {}}, "Callback")

    def http(self, url, headers=None, query=None, name="HTTP Request"):
        p = {"method": R.choice(["GET", "POST"]), "url": url}
        if headers:
            p["sendHeaders"] = True
            p["headerParameters"] = {"parameters": headers}
        if query:
            p["sendQuery"] = True
            p["queryParameters"] = {"parameters": query}
        p["options"] = {}
        self.add_node("n8n-nodes-base.httpRequest", p, name)

    def set_values(self, pairs, name="Config"):
        self.add_node("n8n-nodes-base.set", {"assignments": {"assignments": [{"id": uuid4(), "name": k, "type": "string", "value": v} for k, v in pairs]},
                                             "options": {}}, name)

    def secret(self, prov, sec, lab):
        fam, pname, kind, gen, header, ctx = prov
        tok, where = sec["token"], placement(prov)
        if where == "code":
            if R.random() < .75:
                return self.add_node("n8n-nodes-base.code", {"jsCode": Plant(code_text(prov, sec), lab)}, "Run script")
            return self.add_node("n8n-nodes-base.function", {"functionCode": Plant(code_text(prov, sec), lab)}, "Run script")
        if where == "set":
            return self.set_values([(url_var(prov) if kind == "url" else var_name(prov), Plant(sec.get("code", tok), lab)), ("region", "eu-west-1")])
        if where == "url":
            return self.http(Plant(tok, lab), name="Send")
        if where == "field":
            return self.http("https://erp.litware-inc.net/api/v1/invoices", headers=[{"name": "X-Username", "value": "svc-finance"}, {"name": "X-Password", "value": Plant(tok, lab)}])
        if where == "query":
            return self.http(api_url(prov), query=[{"name": url_with_query(prov, tok)[1], "value": Plant(tok, lab)}])
        if where == "url-query":
            return self.http(Plant(url_with_query(prov, tok)[0], lab))
        h, hv = header_value(prov, tok)
        if R.random() < .2:     # n8n HTTP Request v1: headers as a JSON string
            return self.add_node("n8n-nodes-base.httpRequest", {"url": api_url(prov), "options": {}, "requestMethod": "POST", "jsonParameters": True,
                                 "headerParametersJson": Plant(json.dumps({h: hv, "Accept": "application/json"}), lab)}, "HTTP Request", tv=1)
        return self.http(api_url(prov), headers=[{"name": h, "value": Plant(hv, lab)}, {"name": "Content-Type", "value": "application/json"}])

    def decoy(self, lab_for):
        c = R.randrange(6)
        if c == 0:
            t, f = R.choice(PLACEHOLDERS)
            lab = lab_for("placeholder", f, t)
            return self.http(api_url(PROVIDERS[R.randrange(len(PROVIDERS))]), headers=[{"name": "Authorization", "value": Plant(t, lab)}]) if R.random() < .5 \
                else self.set_values([(R.choice(["apiKey", "token", "password", "webhookUrl"]), Plant(t, lab))])
        if c == 1:
            t, f = R.choice(N8N_EXPR)
            return self.http(api_url(PROVIDERS[R.randrange(len(PROVIDERS))]), headers=[{"name": "Authorization", "value": Plant(t, lab_for("expression", f, t))}])
        if c == 2:
            t, f = R.choice(N8N_CODE_EXPR)
            return self.add_node("n8n-nodes-base.code", {"jsCode": Plant(t, lab_for("expression", f, t))}, "Code")
        if c == 3:
            t, f = R.choice(DOC_NOTES)
            return self.add_node("n8n-nodes-base.stickyNote", {"content": Plant(t, lab_for("documentation", f, t)), "height": 240, "width": 380}, "Sticky Note")
        t, field, note = high_entropy("n8n")
        lab = lab_for("high-entropy", None, note)
        if note == "sheet":
            return self.add_node("n8n-nodes-base.googleSheets", {"operation": "append", "documentId": {"__rl": True, "value": Plant(t, lab), "mode": "id"},
                                 "sheetName": {"__rl": True, "value": "gid=0", "mode": "list"}}, "Append row")
        if note == "etag":
            return self.http("https://api.northwind-data.net/v1/catalog", headers=[{"name": "If-None-Match", "value": Plant(t, lab)}])
        return self.set_values([(field, Plant(t, lab))], name="Fields")

    def doc(self):
        conns = {}
        for a, b in zip(self.nodes, self.nodes[1:]):
            if "stickyNote" not in a["type"] and "stickyNote" not in b["type"]:
                conns[a["name"]] = {"main": [[{"node": b["name"], "type": "main", "index": 0}]]}
        return {"name": title(), "nodes": self.nodes, "pinData": {}, "connections": conns, "active": False,
                "settings": {"executionOrder": "v1"}, "versionId": uuid4(), "meta": {"instanceId": rs(HEX, 64)},
                "id": rs(ALNUM, 16), "tags": []}


def nr_id():
    return rs(HEX, 16)


class NodeRed:
    def __init__(self):
        self.tab = nr_id()
        self.nodes = [{"id": self.tab, "type": "tab", "label": title(), "disabled": False, "info": ""}]
        self.add("inject", name="every 5 min", props=[{"p": "payload"}], repeat="300", once=False, topic="", payload="", payloadType="date")

    def add(self, typ, **kw):
        n = {"id": nr_id(), "type": typ, "z": self.tab}
        n.update(kw)
        n.update({"x": 150 + 180 * len(self.nodes), "y": R.choice([80, 140, 200]), "wires": [[]]})
        self.nodes.append(n)
        return n

    def filler(self):
        c = R.randrange(3)
        if c == 0:
            self.add("debug", name="log", active=True, tosidebar=True, console=False, complete="payload")
        elif c == 1:
            self.add("switch", name="route", property="payload.type", propertyType="msg", rules=[{"t": "eq", "v": "order", "vt": "str"}], checkall="true", outputs=1)
        else:
            self.add("function", name="shape", func="msg.payload = { id: msg.payload.id, ts: Date.now() };\nreturn msg;", outputs=1, libs=[])

    def http(self, url, headers=None):
        return self.add("http request", name="call API", method=R.choice(["GET", "POST"]), ret="obj", paytoqs="ignore", url=url, tls="",
                        persist=False, proxy="", insecureHTTPParser=False, authType="", senderr=False, headers=headers or [])

    def hdr(self, k, v):
        return {"keyType": "other", "keyValue": k, "valueType": "other", "valueValue": v}

    def secret(self, prov, sec, lab):
        fam, pname, kind, gen, header, ctx = prov
        tok, where = sec["token"], placement(prov)
        if where == "code":
            return self.add("function", name="prepare request", func=Plant(nodered_func(prov, sec), lab), outputs=1, libs=[])
        if where == "set":
            v = url_var(prov) if kind == "url" else var_name(prov)
            return self.add("change", name="set " + v, rules=[{"t": "set", "p": v, "pt": "flow", "to": Plant(sec.get("code", tok), lab), "tot": "str"}])
        if where == "url":
            return self.http(Plant(tok, lab))
        if where == "field":
            return self.add("change", name="set auth", rules=[{"t": "set", "p": "headers.x-password", "pt": "msg", "to": Plant(tok, lab), "tot": "str"}])
        if where in ("query", "url-query"):
            return self.http(Plant(url_with_query(prov, tok)[0], lab))
        h, hv = header_value(prov, tok)
        if R.random() < .3:
            return self.add("change", name="set auth", rules=[{"t": "set", "p": "headers." + h, "pt": "msg", "to": Plant(hv, lab), "tot": "str"}])
        return self.http(api_url(prov), headers=[self.hdr(h, Plant(hv, lab))])

    def decoy(self, lab_for):
        c = R.randrange(6)
        if c == 0:
            t, f = R.choice(PLACEHOLDERS)
            return self.http(api_url(PROVIDERS[R.randrange(len(PROVIDERS))]), headers=[self.hdr("Authorization", Plant(t, lab_for("placeholder", f, t)))])
        if c == 1:
            t, f = R.choice(NR_EXPR)
            lab = lab_for("expression", f, t)
            return self.http(Plant(t, lab)) if t.startswith("http") else self.http("https://api.northwind-data.net/v1/records", headers=[self.hdr("Authorization", Plant(t, lab))])
        if c == 2:
            t, f = R.choice(NR_CODE_EXPR)
            return self.add("function", name="auth", func=Plant(t, lab_for("expression", f, t)), outputs=1, libs=[])
        if c == 3:
            t, f = R.choice(DOC_NOTES)
            return self.add("comment", name="How to set up", info=Plant(t, lab_for("documentation", f, t)))
        t, field, note = high_entropy("node-red")
        return self.add("change", name="set " + field, rules=[{"t": "set", "p": field, "pt": "msg", "to": Plant(t, lab_for("high-entropy", None, note)), "tot": "str"}])

    def doc(self):
        for a, b in zip(self.nodes[1:], self.nodes[2:]):
            if a["type"] != "comment" and b["type"] != "comment":
                a["wires"] = [[b["id"]]]
        return self.nodes


class Make:
    def __init__(self):
        self.flow = []
        self.add("gateway:CustomWebHook", {"hook": R.randrange(10**6, 10**7), "maxResults": 1}, {})

    def add(self, module, params, mapper, name=None):
        m = {"id": len(self.flow) + 1, "module": module, "version": 1 if not module.startswith("http") else 3, "parameters": params, "mapper": mapper,
             "metadata": {"designer": {"x": 300 * len(self.flow), "y": 0, "name": name or module.split(":")[1]}}}
        self.flow.append(m)
        return m

    def filler(self):
        c = R.randrange(3)
        if c == 0:
            self.add("json:ParseJSON", {"type": ""}, {"json": "{{1.body}}"})
        elif c == 1:
            self.add("google-sheets:addRow", {"__IMTCONN__": R.randrange(10**6, 10**7)}, {"mode": "select", "values": {"0": "{{1.email}}", "1": "{{1.name}}"}})
        else:
            self.add("builtin:BasicRouter", {}, {})

    def http(self, url, headers=(), qs=(), auth_user="", auth_pass=""):
        return self.add("http:ActionSendData", {"handleErrors": False, "useNewZLibDeCompress": True},
                        {"ca": "", "qs": list(qs), "url": url, "gzip": True, "method": R.choice(["get", "post"]), "headers": list(headers), "timeout": "",
                         "useMtls": False, "authPass": auth_pass, "authUser": auth_user, "bodyType": "", "serializeUrl": False, "shareCookies": False,
                         "parseResponse": True, "followRedirect": True, "useQuerystring": False, "followAllRedirects": False, "rejectUnauthorized": True})

    def setvar(self, name, val):
        return self.add("util:SetVariable2", {}, {"name": name, "scope": "roundtrip", "value": val}, name="Set " + name)

    def secret(self, prov, sec, lab):
        fam, pname, kind, gen, header, ctx = prov
        tok, where = sec["token"], placement(prov)
        if where in ("code", "set"):
            return self.setvar(url_var(prov) if kind == "url" else var_name(prov), Plant(sec.get("code", tok), lab))
        if where == "url":
            return self.http(Plant(tok, lab))
        if where == "field":
            return self.http("https://erp.litware-inc.net/api/v1/invoices", auth_user="svc-finance", auth_pass=Plant(tok, lab))
        if where == "query":
            return self.http(api_url(prov), qs=[{"name": url_with_query(prov, tok)[1], "value": Plant(tok, lab)}])
        if where == "url-query":
            return self.http(Plant(url_with_query(prov, tok)[0], lab))
        h, hv = header_value(prov, tok)
        return self.http(api_url(prov), headers=[{"name": h, "value": Plant(hv, lab)}])

    def decoy(self, lab_for):
        c = R.randrange(5)
        if c == 0:
            t, f = R.choice(PLACEHOLDERS)
            return self.http(api_url(PROVIDERS[R.randrange(len(PROVIDERS))]), headers=[{"name": "Authorization", "value": Plant(t, lab_for("placeholder", f, t))}])
        if c in (1, 2):
            t, f = R.choice(MAKE_EXPR)
            lab = lab_for("expression", f, t)
            return self.http(Plant(t, lab)) if t.startswith("http") else self.http("https://api.northwind-data.net/v1/records", headers=[{"name": "Authorization", "value": Plant(t, lab)}])
        t, field, note = high_entropy("make")
        return self.setvar(field, Plant(t, lab_for("high-entropy", None, note)))

    def doc(self):
        return {"name": title(), "flow": self.flow, "metadata": {"instant": True, "version": 1, "scenario": {
            "roundtrips": 1, "maxErrors": 3, "autoCommit": True, "autoCommitTriggerLast": True, "sequential": False, "confidential": False,
            "dataloss": False, "dlq": False}, "designer": {"orphans": []}, "zone": "eu1.make.com"}}


class PowerAutomate:
    def __init__(self):
        self.actions, self.last = {}, None
        self.solution = R.random() < .5
        self.trigger = {"manual": {"type": "Request", "kind": "Http", "inputs": {"schema": {"type": "object", "properties": {"id": {"type": "string"}}}}}} \
            if R.random() < .5 else {"Recurrence": {"type": "Recurrence", "recurrence": {"frequency": "Hour", "interval": 1}}}

    def add(self, name, typ, inputs, extra=None):
        name = f"{name}_{len(self.actions) + 1}"
        a = {"runAfter": {self.last: ["Succeeded"]} if self.last else {}, "type": typ, "inputs": inputs}
        if self.solution:
            a["metadata"] = {"operationMetadataId": uuid4()}
        if extra:
            a.update(extra)
        self.actions[name] = a
        self.last = name
        return a

    def filler(self):
        c = R.randrange(3)
        if c == 0:
            self.add("Compose_summary", "Compose", "@{triggerBody()?['id']}")
        elif c == 1:
            self.add("Condition", "If", {}, {"expression": {"and": [{"equals": ["@triggerBody()?['status']", "active"]}]}, "actions": {}, "else": {"actions": {}}})
        else:
            self.add("Initialize_count", "InitializeVariable", {"variables": [{"name": "count", "type": "integer", "value": 0}]})

    def http(self, uri, headers=None, queries=None, auth=None, name="Call_API"):
        inp = {"method": R.choice(["GET", "POST"]), "uri": uri}
        if headers:
            inp["headers"] = headers
        if queries:
            inp["queries"] = queries
        if auth:
            inp["authentication"] = auth
        return self.add(name, "Http", inp)

    def initvar(self, name, val):
        return self.add("Initialize_" + name, "InitializeVariable", {"variables": [{"name": name, "type": "string", "value": val}]})

    def secret(self, prov, sec, lab):
        fam, pname, kind, gen, header, ctx = prov
        tok, where = sec["token"], placement(prov)
        if where in ("code", "set"):
            if R.random() < .5:
                return self.initvar(url_var(prov) if kind == "url" else var_name(prov), Plant(sec.get("code", tok), lab))
            return self.add("Compose_config", "Compose", Plant(sec.get("code", tok), lab))
        if where == "url":
            return self.http(Plant(tok, lab), name="Post_message")
        if where == "field":
            return self.http("https://erp.litware-inc.net/api/v1/invoices", auth={"type": "Basic", "username": "svc-finance", "password": Plant(tok, lab)})
        if where == "query":
            return self.http(api_url(prov), queries={url_with_query(prov, tok)[1]: Plant(tok, lab)})
        if where == "url-query":
            return self.http(Plant(url_with_query(prov, tok)[0], lab))
        h, hv = header_value(prov, tok)
        return self.http(api_url(prov), headers={h: Plant(hv, lab), "Content-Type": "application/json"})

    def decoy(self, lab_for):
        c = R.randrange(6)
        if c == 0:
            t, f = R.choice(PLACEHOLDERS)
            return self.http(api_url(PROVIDERS[R.randrange(len(PROVIDERS))]), headers={"Authorization": Plant(t, lab_for("placeholder", f, t))})
        if c in (1, 2):
            t, f = R.choice(PA_EXPR)
            lab = lab_for("expression", f, t)
            return self.http(Plant(t, lab)) if t.startswith("http") else self.http("https://api.northwind-data.net/v1/records", headers={"Authorization": Plant(t, lab)})
        if c == 3:
            t, f = R.choice(DOC_NOTES)
            return self.add("Compose_note", "Compose", "@{triggerBody()}", {"description": Plant(t, lab_for("documentation", f, t))})
        t, field, note = high_entropy("pa")
        if note == "etag":
            return self.http("https://api.northwind-data.net/v1/catalog", headers={"If-None-Match": Plant(t, lab_for("high-entropy", None, note))})
        return self.initvar(field, Plant(t, lab_for("high-entropy", None, note)))

    def doc(self):
        d = {"$schema": "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#",
             "contentVersion": "1.0.0.0", "parameters": {"$connections": {"defaultValue": {}, "type": "Object"}},
             "triggers": self.trigger, "actions": self.actions, "outputs": {}}
        if self.solution:
            return {"properties": {"connectionReferences": {}, "definition": d, "templateName": ""}, "schemaVersion": "1.0.0.0"}
        return d


PLATFORMS = [("n8n", N8n, 0.42, 2), ("node-red", NodeRed, 0.22, 4), ("make", Make, 0.16, 4), ("power-automate", PowerAutomate, 0.20, 4)]


def pick_platform():
    x, acc = R.random(), 0
    for p in PLATFORMS:
        acc += p[2]
        if x < acc:
            return p
    return PLATFORMS[-1]


def write_doc(out, rel, doc, indent, labels, decoys):
    found = []
    doc = resolve(doc, [], found)
    text = json.dumps(doc, indent=indent, ensure_ascii=True) + "\n"
    path = os.path.join(out, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="ascii") as f:
        f.write(text)
    for ptr, pl in found:
        if pl.label["type"] == "secret":       # the secret (its first line / part) must sit in the value
            probe = pl.label["secret"].split()[0][:40]
            assert probe in pl.text, (rel, ptr, probe)
        entry = dict(pl.label, file=rel, pointer=ptr)
        entry.pop("type")
        (labels if pl.label["type"] == "secret" else decoys).append(entry)


def main(argv):
    out = "bench/.cache/labeled"
    args = list(argv)
    global R
    seed = SEED
    if "--seed" in args:
        i = args.index("--seed")
        seed = int(args[i + 1])
        R = random.Random(seed)
        del args[i:i + 2]
    if args:
        out = args[0]
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)

    queue = []
    for prov in PROVIDERS:
        for _ in range(N_SECRETS_PER_PROVIDER):
            queue.append(prov)
    R.shuffle(queue)

    labels, decoys, files = [], [], []
    counters = {}
    while queue:
        pname, cls, _, indent = pick_platform()
        counters[pname] = counters.get(pname, 0) + 1
        b = cls()
        n_sec = min(len(queue), R.choice([1, 1, 2, 2, 2, 3]))
        n_dec = R.choice([1, 1, 2, 2, 2])
        steps = ["s"] * n_sec + ["d"] * n_dec + ["f"] * R.randrange(1, 4)
        R.shuffle(steps)
        for st in steps:
            if st == "s":
                prov = queue.pop()
                sec = make_secret(prov)
                b.secret(prov, sec, {"type": "secret", "family": prov[0], "provider": prov[1], "secret": sec["token"]})
            elif st == "d":
                b.decoy(lambda kind, fam, note: {"type": "decoy", "kind": kind, "imitates": fam, "text": note})
            else:
                b.filler()
        ext = {"n8n": "json", "node-red": "flows.json", "make": "blueprint.json", "power-automate": "definition.json"}[pname]
        rel = f"{pname}/{pname}-{counters[pname]:03d}.{ext}"
        write_doc(out, rel, b.doc(), indent, labels, decoys)
        files.append(rel)
    assert not queue
    for i in range(N_CLEAN_FILES):
        pname, cls, _, indent = pick_platform()
        b = cls()
        for _ in range(R.randrange(2, 6)):
            b.filler()
        rel = f"clean/{pname}-clean-{i + 1:03d}.json"
        write_doc(out, rel, b.doc(), indent, labels, decoys)
        files.append(rel)

    # decoy "what": the decoy text (placeholders, expressions, notes) or the kind of value (high-entropy ones)
    for d in decoys:
        d["what"] = d.pop("text")
    with open(os.path.join(out, "labels.json"), "w") as f:
        json.dump({"generator": "bench/secrets/make_labeled.py", "seed": seed, "files": sorted(files),
                   "secrets": labels, "decoys": decoys,
                   "providers": [{"family": p[0], "provider": p[1]} for p in PROVIDERS]}, f, indent=1)
    fams = sorted({p[0] for p in PROVIDERS})
    print(f"labeled set: {len(files)} files ({N_CLEAN_FILES} without secrets), {len(labels)} secrets "
          f"({len(PROVIDERS)} provider formats, {len(fams)} families), {len(decoys)} decoys -> {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
