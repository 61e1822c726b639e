"""Real JSON from the protocol document (sections 6.3, 7.7, 7.9, 9), as the server sends it."""

from __future__ import annotations

import json
from typing import Any

from colonies.models import (
    GO_ZERO_TIME,
    Attribute,
    Colony,
    File,
    Function,
    Generator,
    Location,
    Log,
    ServerInfo,
    Statistics,
    User,
    WireModel,
)

PROCESS = json.loads("""{
  "processid": "78d5f1145d37d0b5f50c16da153547e0a57a236bd95fd245e7a50ff0460f0ac3",
  "initiatorid": "8f4e37080f3fdb9d5a79714ef6ea20f904a380666026163a105152032f8a9af9",
  "initiatorname": "alice", "assignedexecutorid": "", "isassigned": false, "state": 0,
  "prioritytime": 1795474088806714576, "submissiontime": "2026-11-23T22:48:08.806715Z",
  "starttime": "0001-01-01T00:00:00Z", "endtime": "0001-01-01T00:00:00Z",
  "waitdeadline": "0001-01-01T00:00:00Z", "execdeadline": "0001-01-01T00:00:00Z",
  "retries": 0, "attributes": [],
  "spec": {"nodename": "bp-reconciler-reconcile", "funcname": "reconcile", "args": [],
    "kwargs": {"blueprintName": "b3", "kind": "ProbeLamp"}, "priority": 0, "maxwaittime": 0,
    "maxexectime": -1, "maxretries": -1,
    "conditions": {"colonyname": "probe-bp", "executornames": null, "executortype": "bp-reconciler",
      "locationname": "Kitchen", "dependencies": [], "nodes": 0, "cpu": "0m", "processes": 0,
      "processespernode": 0, "mem": "0Mi", "storage": "0Mi",
      "gpu": {"name": "", "mem": "0Mi", "count": 0, "nodecount": 0}, "walltime": 0},
    "label": "", "fs": {"mount": "", "snapshots": null, "dirs": null}, "env": {}},
  "waitforparents": false, "parents": [], "children": [], "processgraphid": "",
  "in": [], "out": [], "errors": []
}""")

CRON = json.loads(r"""{
  "cronid": "1394a913f17b3034adb411b12c10a49eb2824722a26795fb44c4a15d223c3f4a",
  "initiatorid": "8f4e37080f3fdb9d5a79714ef6ea20f904a380666026163a105152032f8a9af9",
  "initiatorname": "alice", "colonyname": "probe-bp", "name": "reconcile-ProbeLamp",
  "cronexpression": "", "interval": 60, "random": false,
  "nextrun": "2026-11-23T22:49:33.545801Z", "lastrun": "2026-11-23T22:48:33.545801Z",
  "workflowspec": "{\"colonyname\":\"probe-bp\",\"functionspecs\":[{\"nodename\":\"bp-reconciler-reconcile\",\"funcname\":\"reconcile\",\"args\":[],\"kwargs\":{\"kind\":\"ProbeLamp\"},\"priority\":0,\"maxwaittime\":0,\"maxexectime\":-1,\"maxretries\":-1,\"conditions\":{\"colonyname\":\"probe-bp\",\"executornames\":null,\"executortype\":\"bp-reconciler\",\"dependencies\":null,\"nodes\":0,\"cpu\":\"\",\"processes\":0,\"processespernode\":0,\"mem\":\"\",\"storage\":\"\",\"gpu\":{\"name\":\"\",\"mem\":\"\",\"count\":0,\"nodecount\":0},\"walltime\":0},\"label\":\"\",\"fs\":{\"mount\":\"\",\"snapshots\":null,\"dirs\":null},\"env\":{}}]}",
  "prevprocessgraphid": "79e42f9f25825591e5a016fa8b278860469f2438a62078193e9c0f98fbcd1805",
  "waitforprevprocessgraph": true, "checkerperiod": 0
}""")

EXECUTOR = json.loads("""{
  "executorid": "986ed2538e381455b3eb2c26c3e2ebff61fbf0b9d5c1a58b62af6cadbcb672a1",
  "executortype": "probe-worker", "executorname": "w2", "colonyname": "probe-a", "state": 0,
  "requirefuncreg": false, "commissiontime": "2026-11-23T22:46:34.295449Z",
  "lastheardfromtime": "0001-01-01T00:00:00Z", "locationname": "lab",
  "capabilities": {
    "hardware": [{"model": "m", "nodes": 0, "cpu": "4000m", "cores": 4, "mem": "8Gi", "storage": "",
                  "gpu": {"name": "a100", "mem": "", "count": 1, "nodecount": 0},
                  "platform": "", "architecture": "", "network": null}],
    "software": [{"name": "py", "type": "t", "version": "3"}]
  },
  "allocations": {"projects": null}
}""")

DEFINITION = json.loads("""{
  "blueprintdefinitionid": "1bde32e1fc14a235731d72a1d9ac98f06417dbc57e678dd9eec760dbc3070995",
  "kind": "ProbeLamp",
  "metadata": {"name": "probelamp-def", "colonyname": "probe-bp",
               "createdAt": "0001-01-01T00:00:00Z", "updatedAt": "0001-01-01T00:00:00Z",
               "lastReconciliationTime": "0001-01-01T00:00:00Z"},
  "spec": {
    "group": "probe.io", "version": "v1",
    "names": {"kind": "ProbeLamp", "listKind": "", "singular": "probelamp", "plural": "probelamps"},
    "scope": "Namespaced",
    "schema": {"type": "object",
               "properties": {"power": {"type": "boolean"},
                              "color": {"type": "string", "enum": ["red", "green", "blue"]}},
               "required": ["power"]},
    "handler": {"executorType": "bp-reconciler", "functionName": "reconcile", "reconcileInterval": 30}
  }
}""")

BLUEPRINT = json.loads("""{
  "blueprintid": "8aef94f01e25b8d97389899f2adb5e3b03ea486b57f66f9e636652fd9c28d663",
  "kind": "Loc",
  "metadata": {
    "name": "doc1", "colonyname": "probe-bp2", "locationname": "Kitchen",
    "labels": {"room": "kitchen"}, "generation": 1, "createdAt": "2021-02-03T04:05:06Z",
    "updatedAt": "0001-01-01T00:00:00Z", "lastReconciliationProcess": "abc",
    "lastReconciliationTime": "0001-01-01T00:00:00Z"
  },
  "spec": {"v": 2},
  "status": {"observedGeneration": 1, "phase": "Ready"}
}""")

HISTORY = json.loads("""{"historyid":"b23b651e-a1c1-41cf-9b51-78a15807bc23","blueprintid":"bd287eb5","kind":"ProbeLamp",
 "namespace":"probe-bp","name":"b1","generation":4,"spec":{"brightness":50,"power":true},
 "timestamp":"2026-11-23T22:48:07.408749Z","changedby":"8f4e3708","changetype":"update"}""")

GRAPH = json.loads("""{"processgraphid":"g1","initiatorid":"i","initiatorname":"alice","colonyname":"probe-a",
 "rootprocessids":["p1"],"state":0,"submissiontime":"2026-11-23T23:01:13.849141Z",
 "starttime":"0001-01-01T00:00:00Z","endtime":"0001-01-01T00:00:00Z","processids":["p1","p2"],
 "nodes":[{"id":"p1","data":{"label":"a"},"position":{"x":100,"y":0},"type":"input","style":{"color":"","background":"#eee8d8"}}],
 "edges":[{"id":"e","source":"p1","target":"p2","animated":false}]}""")

SIMPLE: list[tuple[type[WireModel], dict[str, Any]]] = [
    (Colony, {"colonyid": "c" * 64, "name": "dev"}),
    (
        User,
        {
            "colonyname": "probe-a",
            "userid": "u" * 64,
            "name": "alice",
            "email": "a@x.y",
            "phone": "1",
        },
    ),
    (
        Generator,
        {
            "generatorid": "g",
            "initiatorid": "i",
            "initiatorname": "n",
            "colonyname": "c",
            "name": "gen",
            "workflowspec": '{"colonyname":"c","functionspecs":[]}',
            "trigger": 2,
            "timeout": -1,
            "firstpack": GO_ZERO_TIME,
            "lastrun": GO_ZERO_TIME,
            "queuesize": 0,
            "checkerperiod": 0,
        },
    ),
    (
        Statistics,
        {
            "colonies": 1,
            "executors": 3,
            "activeexecutors": 2,
            "unregisteredexecutors": 1,
            "waitingprocesses": 1,
            "runningprocesses": 0,
            "successfulprocesses": 9,
            "failedprocesses": 2,
            "cancelledprocesses": 2,
            "waitingworkflows": 2,
            "runningworkflows": 0,
            "successfulworkflows": 0,
            "failedworkflows": 0,
            "cancelledworkflows": 0,
        },
    ),
    (
        Log,
        {
            "processid": "p",
            "colonyname": "probe-a",
            "executorname": "w3",
            "message": "hello log 1\n",
            "timestamp": 1795474913567396875,
        },
    ),
    (
        Attribute,
        {
            "attributeid": "a",
            "targetid": "p",
            "targetcolonyname": "probe-a",
            "targetprocessgraphid": "",
            "state": 0,
            "attributetype": 1,
            "key": "progress",
            "value": "50",
        },
    ),
    (
        Function,
        {
            "functionid": "f",
            "executorname": "w3",
            "executortype": "probe-worker",
            "colonyname": "probe-a",
            "funcname": "echo",
            "description": "d",
            "args": [{"name": "a", "type": "string"}],
            "counter": 0,
            "minwaittime": 0,
            "maxwaittime": 0,
            "minexectime": 0,
            "maxexectime": 0,
            "avgwaittime": 0,
            "avgexectime": 0,
        },
    ),
    (
        Location,
        {
            "locationid": "",
            "name": "Kitchen",
            "colonyname": "probe-bp",
            "description": "Auto-created from blueprint b3",
            "long": 0,
            "lat": 0,
        },
    ),
    (
        File,
        {
            "fileid": "f",
            "colonyname": "c",
            "label": "/data",
            "name": "a.txt",
            "size": 3,
            "sequencenr": 1,
            "checksum": "abc",
            "checksumalg": "SHA256",
            "ref": {
                "protocol": "s3",
                "s3object": {
                    "server": "s",
                    "port": 9000,
                    "tls": False,
                    "accesskey": "AKIA-SAMPLE",
                    "secretkey": "SECRET-SAMPLE",
                    "region": "r",
                    "encryptionkey": "",
                    "encryptionalg": "",
                    "object": "o",
                    "bucket": "b",
                },
            },
            "added": "2026-11-23T22:48:07.408749Z",
        },
    ),
    (
        ServerInfo,
        {
            "buildversion": "dev",
            "buildtime": "2026-11-23T22:48:07Z",
            "backends": [{"type": "http", "port": 50080, "host": "0.0.0.0"}],
        },
    ),
]
