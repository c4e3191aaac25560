{{/* Names and labels (Helm scaffold / Bitnami conventions). */}}

{{- define "boxoffice.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's prefix: "boxoffice" for a release named boxoffice (or boxoffice-anything). */}}
{{- define "boxoffice.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "boxoffice.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Selector labels of one component: (dict "root" $ "component" "catalog"). */}}
{{- define "boxoffice.selectorLabels" -}}
app.kubernetes.io/name: {{ include "boxoffice.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- with .component }}
app.kubernetes.io/component: {{ . }}
{{- end }}
{{- end -}}

{{/* All labels of one component's objects. */}}
{{- define "boxoffice.labels" -}}
{{ include "boxoffice.selectorLabels" . }}
app.kubernetes.io/part-of: boxoffice
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
helm.sh/chart: {{ include "boxoffice.chart" .root }}
{{- end -}}

{{/* metadata: name + labels of one component's object: (dict "root" $ "component" "catalog" "name" "x"). */}}
{{- define "boxoffice.metadata" -}}
name: {{ .name }}
labels:
  {{- include "boxoffice.labels" . | nindent 2 }}
{{- end -}}

{{/*
A component's PodDisruptionBudget, "---" first, when podDisruptionBudget.enabled: one pod at a
time may go (a drain never empties a service, nor takes two of three lock masters), and
unhealthy pods are always evictable so a broken pod never blocks a drain. (dict "root" $ "component" "catalog" "name" "x").
*/}}
{{- define "boxoffice.podDisruptionBudget" -}}
{{- if .root.Values.podDisruptionBudget.enabled }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  {{- include "boxoffice.metadata" . | nindent 2 }}
spec:
  maxUnavailable: 1
  unhealthyPodEvictionPolicy: AlwaysAllow
  selector:
    matchLabels:
      {{- include "boxoffice.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end -}}

{{- define "boxoffice.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* The Secret and key DATABASE_URL is read from. */}}
{{- define "boxoffice.databaseSecret" -}}
{{- if .Values.postgresql.enabled -}}
name: {{ include "boxoffice.fullname" . }}-pg-app, key: uri
{{- else -}}
name: {{ .Values.secrets.externalDatabase.name }}, key: {{ .Values.secrets.externalDatabase.key }}
{{- end -}}
{{- end -}}

{{/* REDIS_LOCK_URLS from REDIS_PASSWORD (expanded by the kubelet) and the masters' names. */}}
{{- define "boxoffice.redisLockUrls" -}}
{{- $hosts := list -}}
{{- if .Values.redisLocks.enabled -}}
{{- $svc := printf "%s-redis-locks" (include "boxoffice.fullname" .) -}}
{{- range $i := until 3 -}}
{{- $hosts = append $hosts (printf "%s-%d.%s:6379" $svc $i $svc) -}}
{{- end -}}
{{- else -}}
{{- $hosts = .Values.redisLocks.externalHosts -}}
{{- end -}}
{{- $urls := list -}}
{{- range $hosts -}}
{{- $urls = append $urls (printf "redis://:$(REDIS_PASSWORD)@%s" .) -}}
{{- end -}}
{{- join "," $urls -}}
{{- end -}}

{{/* host:port of the queue's Redis primary: the StatefulSet's one pod by its stable name, or queueRedis.externalHost. */}}
{{- define "boxoffice.queueRedisHost" -}}
{{- if .Values.queueRedis.enabled -}}
{{- $svc := printf "%s-queue-redis" (include "boxoffice.fullname" .) -}}
{{- printf "%s-0.%s:6379" $svc $svc -}}
{{- else -}}
{{- required "queueRedis.externalHost is required when queueRedis.enabled is false" .Values.queueRedis.externalHost -}}
{{- end -}}
{{- end -}}

{{/* Pod hardening shared by every boxoffice pod ("restricted" Pod Security Standard). */}}
{{- define "boxoffice.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile: {type: RuntimeDefault}
{{- end -}}

{{- define "boxoffice.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
privileged: false
readOnlyRootFilesystem: true
capabilities: {drop: [ALL]}
{{- end -}}

{{/* Pods of boxoffice's own processes that may reach PostgreSQL (NetworkPolicy peers). */}}
{{- define "boxoffice.podsMatching" -}}
matchLabels:
  app.kubernetes.io/name: {{ include "boxoffice.name" .root }}
  app.kubernetes.io/instance: {{ .root.Release.Name }}
matchExpressions:
  - {key: app.kubernetes.io/component, operator: In, values: {{ toJson .components }}}
{{- end -}}

{{/* The readable form of a Secret reference in env. */}}
{{- define "boxoffice.secretEnv" -}}
- name: {{ .env }}
  valueFrom: {secretKeyRef: { {{- .ref -}} }}
{{- end -}}
