{{/* Names, labels and the key wiring shared by every template. */}}

{{- define "colonies-reconciler.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name, capped at 63 characters (the DNS label limit). */}}
{{- define "colonies-reconciler.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "colonies-reconciler.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "colonies-reconciler.selectorLabels" -}}
app.kubernetes.io/name: {{ include "colonies-reconciler.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "colonies-reconciler.labels" -}}
helm.sh/chart: {{ include "colonies-reconciler.chart" . }}
{{ include "colonies-reconciler.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: reconciler
{{- end }}

{{- define "colonies-reconciler.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "colonies-reconciler.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "colonies-reconciler.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
The Secret a key comes from: the chart's own when `value` is set, else `existingSecret`.
Call with (dict "key" .Values.executorKey "suffix" "executor-key" "root" $).
*/}}
{{- define "colonies-reconciler.keySecretName" -}}
{{- if .key.value }}
{{- printf "%s-%s" (include "colonies-reconciler.fullname" .root | trunc 50 | trimSuffix "-") .suffix }}
{{- else }}
{{- .key.existingSecret }}
{{- end }}
{{- end }}

{{/* Refuse configurations that would start pods without a usable identity. */}}
{{- define "colonies-reconciler.validateKeys" -}}
{{- $executorKey := .Values.executorKey }}
{{- $ownerKey := .Values.colonyOwnerKey }}
{{- include "colonies-reconciler.validateKeyValue" (dict "key" $executorKey "path" "executorKey.value") }}
{{- include "colonies-reconciler.validateKeyValue" (dict "key" $ownerKey "path" "colonyOwnerKey.value") }}
{{- $hasExecutorKey := or $executorKey.value $executorKey.existingSecret }}
{{- if and (not $hasExecutorKey) (not $ownerKey.enabled) }}
{{- fail "executorKey: set executorKey.existingSecret (a Secret holding the executor's private key) or executorKey.value, or enable colonyOwnerKey for self-registration" }}
{{- end }}
{{- if and $ownerKey.enabled (not $ownerKey.value) (not $ownerKey.existingSecret) }}
{{- fail "colonyOwnerKey: enabled, but neither colonyOwnerKey.existingSecret nor colonyOwnerKey.value is set" }}
{{- end }}
{{- if and $ownerKey.enabled $hasExecutorKey (not .Values.executor.name) }}
{{- fail "executorKey: with colonyOwnerKey every pod registers an executor under its own pod name, and the server allows one executor per key; set executorKey.existingSecret=\"\" (each pod makes a fresh key) or give executor.name a fixed name" }}
{{- end }}
{{- range .Values.extraEnv }}
{{- if has .name (list "COLONIES_PRVKEY" "COLONIES_COLONY_PRVKEY") }}
{{- fail (printf "extraEnv: %s must not be set here; private keys come from executorKey / colonyOwnerKey Secrets" .name) }}
{{- end }}
{{- end }}
{{- end }}

{{/*
A key value must be 64 hex characters (surrounding whitespace, e.g. the newline `--set-file`
keeps, is trimmed); the message gives only its length, never the value.
*/}}
{{- define "colonies-reconciler.validateKeyValue" -}}
{{- with .key.value | trim }}
{{- if not (regexMatch "^[0-9a-fA-F]{64}$" .) }}
{{- fail (printf "%s: not a private key; expected exactly 64 hex characters, the value given has %d characters" $.path (len .)) }}
{{- end }}
{{- end }}
{{- end }}

{{/* Other cross-field rules that a JSON schema can only report as "'not' failed". */}}
{{- define "colonies-reconciler.validateValues" -}}
{{- include "colonies-reconciler.validateKeys" . }}
{{- with .Values.podDisruptionBudget }}
{{- if and (hasKey . "minAvailable") (hasKey . "maxUnavailable") }}
{{- fail "podDisruptionBudget: set minAvailable or maxUnavailable, not both" }}
{{- end }}
{{- end }}
{{- if and .Values.executor.name .Values.colonyOwnerKey.enabled (gt (int .Values.replicaCount) 1) }}
{{- fail "executor.name: with colonyOwnerKey each pod registers itself, so replicas sharing one fixed name would keep re-registering each other away; leave executor.name empty (the pod name) or run one replica" }}
{{- end }}
{{- if and .Values.metrics.serviceMonitor.enabled (not .Values.metrics.service.enabled) }}
{{- fail "metrics.serviceMonitor.enabled needs metrics.service.enabled: the ServiceMonitor scrapes that Service" }}
{{- end }}
{{- end }}
