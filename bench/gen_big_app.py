#!/usr/bin/env python3
"""Write an n8n export with N nodes (default 10,000) for bench/model.sh.

A public webhook and a schedule feed chains of Code, Set, IF, HTTP Request
(fixed and expression URLs over 200 hosts), Postgres, Slack and Gmail nodes;
IF nodes branch, every 50th chain loops back (cycles), and parameters read
earlier fields ($json.body.email, $('Node').item.json.x) so that the model
carries fields and expression edges. Deterministic for a given N.

usage: gen_big_app.py [N] > big.json
"""
import json
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
rnd = random.Random(42)
nodes, conns = [], {}


def node(name, typ, params, version=1, creds=None):
    nd = {"id": "n%06d" % len(nodes), "name": name, "type": typ, "typeVersion": version,
          "position": [len(nodes) % 200 * 220, len(nodes) // 200 * 160], "parameters": params}
    if creds:
        nd["credentials"] = creds
    nodes.append(nd)
    return name


def link(a, b, out=0):
    c = conns.setdefault(a, {"main": []})["main"]
    while len(c) <= out:
        c.append([])
    c[out].append({"node": b, "type": "main", "index": 0})


hook = node("Webhook intake", "n8n-nodes-base.webhook",
            {"path": "intake", "httpMethod": "POST", "responseMode": "onReceived"}, 2)
cron = node("Every hour", "n8n-nodes-base.scheduleTrigger",
            {"rule": {"interval": [{"field": "hours"}]}}, 1)
starts = [hook, cron]
kinds = ["code", "set", "if", "http", "http_dyn", "postgres", "slack", "gmail"]
prev = None
chain_start = None
i = 0
while len(nodes) < n:
    k = kinds[i % len(kinds)] if rnd.random() < 0.8 else rnd.choice(kinds)
    name = "%s %d" % (k, i)
    if k == "code":
        node(name, "n8n-nodes-base.code",
             {"jsCode": "return items.map(i => ({json: {email: i.json.body.email, n: %d}}));" % i}, 2)
    elif k == "set":
        node(name, "n8n-nodes-base.set",
             {"assignments": {"assignments": [
                 {"name": "customer_email", "value": "={{ $json.body.email }}", "type": "string"},
                 {"name": "phone", "value": "={{ $json.phone }}", "type": "string"}]}}, 3)
    elif k == "if":
        node(name, "n8n-nodes-base.if",
             {"conditions": {"string": [{"value1": "={{ $json.email }}", "operation": "isNotEmpty"}]}})
    elif k == "http":
        node(name, "n8n-nodes-base.httpRequest",
             {"url": "https://api%d.example.com/v1/items" % (i % 200), "method": "POST",
              "sendBody": True, "bodyParameters": {"parameters": [
                  {"name": "email", "value": "={{ $json.customer_email }}"}]}}, 4)
    elif k == "http_dyn":
        node(name, "n8n-nodes-base.httpRequest",
             {"url": "={{ $json.callback_url }}", "method": "GET"}, 4)
    elif k == "postgres":
        node(name, "n8n-nodes-base.postgres",
             {"operation": "executeQuery",
              "query": "INSERT INTO leads(email) VALUES ('{{ $json.customer_email }}')"}, 2,
             {"postgres": {"id": "1", "name": "Postgres account"}})
    elif k == "slack":
        node(name, "n8n-nodes-base.slack",
             {"text": "=New lead {{ $('%s').item.json.email }}" % (prev or hook), "channel": "#leads"},
             2, {"slackApi": {"id": "2", "name": "Slack account"}})
    else:
        node(name, "n8n-nodes-base.gmail",
             {"sendTo": "={{ $json.customer_email }}", "subject": "Thanks", "message": "Hi"},
             2, {"gmailOAuth2": {"id": "3", "name": "Gmail account"}})
    if prev is None or i % 40 == 0:
        src = starts[(i // 40) % 2] if prev is None or rnd.random() < 0.5 else prev
        link(src, name)
        chain_start = name
    else:
        link(prev, name)
        if prev.startswith("if "):
            link(prev, name, 1)
    if i % 50 == 49 and chain_start and chain_start != name:
        link(name, chain_start)  # a loop back to the start of the chain
    prev = name
    i += 1

json.dump({"id": "BigBench0000001", "name": "Big generated workflow (%d nodes)" % n,
           "active": True, "nodes": nodes, "connections": conns,
           "settings": {"executionOrder": "v1"}}, sys.stdout)
