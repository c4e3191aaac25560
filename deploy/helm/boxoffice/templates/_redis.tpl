{{/* The pod spec shared by the Redis lock masters and the cache: (dict "root" $ "image" "..."
     "resources" {...} "affinity" "<yaml or empty>"), followed by the container's volumeMounts. */}}
{{- define "boxoffice.redisPodSpec" -}}
automountServiceAccountToken: false
terminationGracePeriodSeconds: 30
securityContext:
  runAsNonRoot: true
  runAsUser: 999
  runAsGroup: 999
  fsGroup: 999
  seccompProfile: {type: RuntimeDefault}
{{- with .affinity }}
{{ . }}
{{- end }}
containers:
  - name: redis
    image: {{ .image }}
    args: ["/etc/redis/redis.conf", "--requirepass", "$(REDIS_PASSWORD)"]
    env:
      - name: REDIS_PASSWORD
        valueFrom: {secretKeyRef: {name: {{ .root.Values.secrets.redis.name }}, key: {{ .root.Values.secrets.redis.key }}}}
      - name: REDISCLI_AUTH
        value: $(REDIS_PASSWORD)
    ports:
      - {name: redis, containerPort: 6379}
    resources:
      {{- toYaml .resources | nindent 6 }}
    startupProbe:
      tcpSocket: {port: redis}
      periodSeconds: 2
      failureThreshold: 30
    livenessProbe:
      tcpSocket: {port: redis}
      periodSeconds: 10
      failureThreshold: 3
    readinessProbe:
      exec:
        command: ["sh", "-c", "redis-cli ping | grep -q PONG"]
      periodSeconds: 5
      timeoutSeconds: 2
    securityContext:
      {{- include "boxoffice.containerSecurityContext" .root | nindent 6 }}
{{- end -}}

{{/* A NetworkPolicy pair: the server pods accept, and the client pods may open, TCP on one port.
     (dict "root" $ "name" "x" "server" "redis-cache" "clients" (list ...) "port" 6379) */}}
{{- define "boxoffice.clientServerPolicies" -}}
{{- $clients := include "boxoffice.podsMatching" (dict "root" .root "components" .clients) -}}
{{- $server := dict "root" .root "component" .server "name" .name -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  {{- include "boxoffice.metadata" $server | nindent 2 }}
spec:
  podSelector:
    matchLabels:
      {{- include "boxoffice.selectorLabels" $server | nindent 6 }}
  policyTypes: [Ingress]
  ingress:
    - from:
        - podSelector:
            {{- $clients | nindent 12 }}
      ports:
        - {protocol: TCP, port: {{ .port }}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  {{- include "boxoffice.metadata" (merge (dict "name" (printf "%s-clients" .name)) $server) | nindent 2 }}
spec:
  podSelector:
    {{- $clients | nindent 4 }}
  policyTypes: [Egress]
  egress:
    - to:
        - podSelector:
            matchLabels:
              {{- include "boxoffice.selectorLabels" $server | nindent 14 }}
      ports:
        - {protocol: TCP, port: {{ .port }}}
{{- end -}}

{{/* The lock masters never share a node in production: independent failures are what
     Redlock's quorum assumes. */}}
{{- define "boxoffice.redisMastersPlacement" -}}
affinity:
  podAntiAffinity:
    {{- if .root.Values.highAvailability.enabled }}
    requiredDuringSchedulingIgnoredDuringExecution:
      - topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels: {{ toJson .peers }}
    {{- else }}
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          topologyKey: kubernetes.io/hostname
          labelSelector:
            matchLabels: {{ toJson .peers }}
    {{- end }}
{{- if .root.Values.highAvailability.enabled }}
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: topology.kubernetes.io/zone
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels: {{ toJson .peers }}
{{- end }}
{{- end -}}
