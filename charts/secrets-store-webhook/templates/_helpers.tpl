{{/*
Names, labels and the checks that refuse contradictory values. Every template includes
"secrets-store-webhook.validate" so a bad combination fails whichever file renders first.
*/}}

{{- define "secrets-store-webhook.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "secrets-store-webhook.fullname" -}}
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

{{- define "secrets-store-webhook.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "secrets-store-webhook.selectorLabels" -}}
app.kubernetes.io/name: {{ include "secrets-store-webhook.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: webhook
{{- end }}

{{- define "secrets-store-webhook.labels" -}}
helm.sh/chart: {{ include "secrets-store-webhook.chart" . }}
{{ include "secrets-store-webhook.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "secrets-store-webhook.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "secrets-store-webhook.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false: name the ServiceAccount the server should run as" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "secrets-store-webhook.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* The Secret the Deployment mounts: cert-manager's or the user's. */}}
{{- define "secrets-store-webhook.tlsSecretName" -}}
{{- if .Values.tls.certManager.enabled }}
{{- printf "%s-tls" (include "secrets-store-webhook.fullname" .) }}
{{- else }}
{{- .Values.tls.existingSecret }}
{{- end }}
{{- end }}

{{- define "secrets-store-webhook.servingCertificateName" -}}
{{- printf "%s-tls" (include "secrets-store-webhook.fullname" .) }}
{{- end }}

{{/* The chart's own CA chain is used unless an issuer is named. */}}
{{- define "secrets-store-webhook.ownCA" -}}
{{- if and .Values.tls.certManager.enabled (not .Values.tls.certManager.issuerRef.name) }}true{{ end }}
{{- end }}

{{/* The four names a client may use for the Service; the serving certificate carries them all. */}}
{{- define "secrets-store-webhook.serviceDNSNames" -}}
{{- $svc := include "secrets-store-webhook.fullname" . -}}
{{- $ns := .Release.Namespace -}}
- {{ $svc }}
- {{ $svc }}.{{ $ns }}
- {{ $svc }}.{{ $ns }}.svc
- {{ $svc }}.{{ $ns }}.svc.{{ .Values.clusterDomain }}
{{- end }}

{{/*
How the API server trusts us: cert-manager's CA injector fills caBundle from the serving
Certificate, or the user gives it. Shared by both webhook configurations.
*/}}
{{- define "secrets-store-webhook.caInjectionAnnotation" -}}
{{- if .Values.tls.certManager.enabled -}}
cert-manager.io/inject-ca-from: {{ .Release.Namespace }}/{{ include "secrets-store-webhook.servingCertificateName" . }}
{{- end -}}
{{- end }}

{{- define "secrets-store-webhook.clientConfig" -}}
clientConfig:
  service:
    name: {{ include "secrets-store-webhook.fullname" .root }}
    namespace: {{ .root.Release.Namespace }}
    path: {{ .path }}
    port: {{ .root.Values.service.port }}
  {{- if not .root.Values.tls.certManager.enabled }}
  caBundle: {{ .root.Values.tls.caBundle }}
  {{- end }}
{{- end }}

{{/*
Which namespaces the webhooks see. The release namespace and kube-system are always out, so a
failing webhook can never block its own pods or the control plane (the fail-closed deadlock).
*/}}
{{- define "secrets-store-webhook.namespaceSelector" -}}
namespaceSelector:
  matchExpressions:
    - key: kubernetes.io/metadata.name
      operator: NotIn
      values:
        {{- range (concat (list .Release.Namespace "kube-system") .Values.webhooks.excludeNamespaces | uniq) }}
        - {{ . | quote }}
        {{- end }}
    {{- with .Values.webhooks.optOutLabel }}
    - key: {{ . | quote }}
      operator: NotIn
      values:
        - "true"
    {{- end }}
{{- end }}

{{/* Settings every webhook shares. */}}
{{- define "secrets-store-webhook.webhookCommon" -}}
admissionReviewVersions: ["v1"]
sideEffects: None
timeoutSeconds: {{ .Values.webhooks.timeoutSeconds }}
# Equivalent: a request for the same resource under another API version is converted and sent.
matchPolicy: Equivalent
{{ include "secrets-store-webhook.namespaceSelector" . }}
{{- end }}

{{/*
CEL that is true when a pod spec (at .spec, a CEL path such as object.spec.template.spec) or
its metadata (at .meta) touches the secrets store: an inline CSI volume, a secret volume, a
secretKeyRef or envFrom.secretRef in any container, init container or ephemeral container, or
the injection annotation. Any inline CSI volume, not only driver secrets-store.csi.k8s.io: the
engine also denies look-alike driver names (the API group secrets-store.csi.x-k8s.io is a
common one), which a filter on the exact name would hide from it; other inline CSI volumes
are rare. Dynamic objects have no defaults, so every step is guarded by
has(): a missing field must read as "no", never as an evaluation error (which the API server
would turn into the failure policy).
*/}}
{{- define "secrets-store-webhook.cel.guard" -}}
{{- $parts := splitList "." . }}
{{- $guards := list }}
{{- range $i, $_ := $parts }}
{{- if gt $i 0 }}
{{- $guards = append $guards (printf "has(%s)" (join "." (slice $parts 0 (add1 $i)))) }}
{{- end }}
{{- end }}
{{- join " && " $guards }}
{{- end }}

{{- define "secrets-store-webhook.cel.containersTouch" -}}
{{- $s := .spec }}
{{- $tests := list }}
{{- range list "containers" "initContainers" "ephemeralContainers" }}
{{- $tests = append $tests (printf "(has(%s.%s) && %s.%s.exists(c, (has(c.env) && c.env.exists(e, has(e.valueFrom) && has(e.valueFrom.secretKeyRef))) || (has(c.envFrom) && c.envFrom.exists(e, has(e.secretRef)))))" $s . $s .) }}
{{- end }}
{{- join "\n" $tests }}
{{- end }}

{{- define "secrets-store-webhook.cel.volumesTouch" -}}
{{- $s := .spec }}
{{- printf "(has(%s.volumes) && %s.volumes.exists(v, has(v.csi) || has(v.secret) || (has(v.projected) && has(v.projected.sources) && v.projected.sources.exists(p, has(p.secret)))))" $s $s }}
{{- end }}

{{- define "secrets-store-webhook.cel.annotated" -}}
{{- printf "(%s && has(%s.annotations) && 'secrets-store-webhook.io/secret-provider-class' in %s.annotations)" (include "secrets-store-webhook.cel.guard" .meta) .meta .meta }}
{{- end }}

{{/* One alternative per line, so the rendered expression reads as a list of cases. */}}
{{- define "secrets-store-webhook.cel.touchesSecretsStore" -}}
{{- $cases := list (include "secrets-store-webhook.cel.volumesTouch" .) }}
{{- $cases = concat $cases (splitList "\n" (include "secrets-store-webhook.cel.containersTouch" .)) }}
{{- printf "(%s && (\n  %s\n))\n|| %s" (include "secrets-store-webhook.cel.guard" .spec) (join "\n  || " $cases) (include "secrets-store-webhook.cel.annotated" .) }}
{{- end }}

{{/* Contradictory values fail here, with the fix in the message. */}}
{{- define "secrets-store-webhook.validate" -}}
{{- $tls := .Values.tls }}
{{- if and $tls.certManager.enabled $tls.existingSecret }}
{{- fail (printf "tls.existingSecret (%q) and tls.certManager.enabled are both set: choose one source for the serving certificate; to use your own Secret set tls.certManager.enabled=false and tls.caBundle" $tls.existingSecret) }}
{{- end }}
{{- if and $tls.certManager.enabled $tls.caBundle }}
{{- fail "tls.caBundle is set while tls.certManager.enabled is true: cert-manager injects the CA bundle itself; remove tls.caBundle, or set tls.certManager.enabled=false and tls.existingSecret" }}
{{- end }}
{{- if not $tls.certManager.enabled }}
{{- if not $tls.existingSecret }}
{{- fail "tls.certManager.enabled is false but tls.existingSecret is empty: the server needs a serving certificate; name a kubernetes.io/tls Secret in tls.existingSecret (with tls.caBundle), or enable tls.certManager" }}
{{- end }}
{{- if not $tls.caBundle }}
{{- fail (printf "tls.existingSecret is %q but tls.caBundle is empty: the API server must trust the server's certificate; set tls.caBundle to the base64 PEM of the CA that signed it" $tls.existingSecret) }}
{{- end }}
{{- if not (regexMatch "^[A-Za-z0-9+/=\\s]+$" $tls.caBundle) }}
{{- fail "tls.caBundle is not base64: give the base64 encoding of the CA's PEM (for example: base64 -w0 ca.crt)" }}
{{- end }}
{{- if not (contains "BEGIN CERTIFICATE" (b64dec $tls.caBundle)) }}
{{- fail "tls.caBundle does not decode to a PEM certificate: give the base64 encoding of the CA's PEM, which starts with -----BEGIN CERTIFICATE-----" }}
{{- end }}
{{- end }}
{{- if and (not $tls.certManager.issuerRef.name) (ne $tls.certManager.issuerRef.kind "Issuer") }}
{{- fail (printf "tls.certManager.issuerRef.kind is %q but issuerRef.name is empty: name the %s to use, or leave kind as Issuer to let the chart make its own CA" $tls.certManager.issuerRef.kind $tls.certManager.issuerRef.kind) }}
{{- end }}
{{- $key := $tls.certManager.privateKey }}
{{- if and (eq $key.algorithm "ECDSA") (not (has (int $key.size) (list 256 384))) }}
{{- fail (printf "tls.certManager.privateKey.size is %v for ECDSA: expected 256 (P-256, the default) or 384; 2048 to 4096 are RSA sizes (privateKey.algorithm=RSA)" $key.size) }}
{{- end }}
{{- if and (eq $key.algorithm "RSA") (lt (int $key.size) 2048) }}
{{- fail (printf "tls.certManager.privateKey.size is %v for RSA: expected 2048, 3072 or 4096 (the server refuses RSA keys under 2048 bits); 256 and 384 are ECDSA sizes" $key.size) }}
{{- end }}
{{- $kv := .Values.keyVault }}
{{- if and $kv.enabled (ge (int $kv.budgetMillis) (mul (int .Values.webhooks.timeoutSeconds) 1000)) }}
{{- fail (printf "keyVault.budgetMillis (%d) must be below webhooks.timeoutSeconds (%d s): the API server would give up before the server answers; lower the budget (default 1500)" (int $kv.budgetMillis) (int .Values.webhooks.timeoutSeconds)) }}
{{- end }}
{{- if and $kv.workloadIdentity.enabled (not $kv.workloadIdentity.clientId) }}
{{- fail "keyVault.workloadIdentity.enabled is true but keyVault.workloadIdentity.clientId is empty: name the client ID of the identity whose federated credential trusts the webhook's ServiceAccount" }}
{{- end }}
{{- if and $kv.workloadIdentity.enabled (not .Values.serviceAccount.create) }}
{{- fail "keyVault.workloadIdentity.enabled needs serviceAccount.create: the chart annotates the ServiceAccount it creates; with your own, annotate it with azure.workload.identity/client-id and set podLabels azure.workload.identity/use: \"true\"" }}
{{- end }}
{{- $pdb := .Values.podDisruptionBudget }}
{{- if and (not (kindIs "invalid" $pdb.minAvailable)) (not (kindIs "invalid" $pdb.maxUnavailable)) }}
{{- fail (printf "podDisruptionBudget.minAvailable (%v) and podDisruptionBudget.maxUnavailable (%v) are both set: a PodDisruptionBudget takes one of them; unset the other" $pdb.minAvailable $pdb.maxUnavailable) }}
{{- end }}
{{- if and $pdb.enabled (gt (int .Values.replicaCount) 1) (not (kindIs "invalid" $pdb.minAvailable)) (not (kindIs "string" $pdb.minAvailable)) }}
{{- if ge (int $pdb.minAvailable) (int .Values.replicaCount) }}
{{- fail (printf "podDisruptionBudget.minAvailable (%v) must be below replicaCount (%v), or no node running the webhook could ever be drained; lower minAvailable or raise replicaCount" $pdb.minAvailable .Values.replicaCount) }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Whether the server gets --policy: rules or onUnverified from values, policy files, or ConfigMaps.
*/}}
{{- define "secrets-store-webhook.policyEnabled" -}}
{{- if or .Values.policy.rules .Values.policy.onUnverified .Values.policy.files .Values.policy.configMaps -}}true{{- end -}}
{{- end }}

{{/*
Whether the chart renders its own policy ConfigMap (from rules, onUnverified and files).
*/}}
{{- define "secrets-store-webhook.policyConfigMap" -}}
{{- if or .Values.policy.rules .Values.policy.onUnverified .Values.policy.files -}}true{{- end -}}
{{- end }}
