#!/usr/bin/env python3
"""Write a Node-RED export of T tabs x 100 nodes (default T = 1000) for
bench/scale.sh: each tab is an open `http in` feeding a chain of function
nodes with an exec node every tenth, so almost every node has findings and
the export is one top-level array of T x 101 elements.

usage: gen_wide_nodered.py [T] > flows.json
"""
import json
import sys

tabs = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
nodes = []
for t in range(tabs):
    tab = "t%d" % t
    nodes.append({"id": tab, "type": "tab", "label": "Tab %d" % t})
    prev = None
    for k in range(100):
        nid = "%sn%d" % (tab, k)
        if k == 0:
            n = {"id": nid, "type": "http in", "url": "/in%d" % t, "method": "post", "wires": [[]]}
        elif k % 10 == 0:
            n = {"id": nid, "type": "exec", "command": "ls", "addpay": "payload", "wires": [[], [], []]}
        else:
            n = {"id": nid, "type": "function", "func": "return msg;", "wires": [[]]}
        n["z"] = tab
        n["name"] = "node %d" % k
        if prev:
            prev["wires"][0].append(nid)
        nodes.append(n)
        prev = n
json.dump(nodes, sys.stdout)
