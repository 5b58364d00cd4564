{{/* Names and labels shared by the chart's templates. */}}

{{/* The chart name, or nameOverride. DNS labels are at most 63 characters. */}}
{{- define "kbr.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name: the release name, with the chart name when it is not already in it. */}}
{{- define "kbr.fullname" -}}
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

{{/* chart-version, as the helm.sh/chart label wants it. */}}
{{- define "kbr.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "kbr.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kbr.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "kbr.labels" -}}
helm.sh/chart: {{ include "kbr.chart" . }}
{{ include "kbr.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: reconciler
app.kubernetes.io/part-of: kbr
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "kbr.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "kbr.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false: name an existing ServiceAccount in the release namespace" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "kbr.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* Where kbr reads Secrets (--secrets-dir) and keeps its cache (--cache-dir). */}}
{{- define "kbr.secretsDir" -}}/var/run/kbr/secrets{{- end }}
{{- define "kbr.cacheDir" -}}/var/cache/kbr{{- end }}

{{/* The namespace a secrets entry names (as GitStateStore spec.secretRef does: "default" unless given). */}}
{{- define "kbr.secretNamespace" -}}
{{- default "default" .namespace }}
{{- end }}

{{/*
The Secret a secrets entry mounts. Called with (list $ $entry). Created entries get
<fullname>-<namespace>-<name>; others use existingSecret, else name.
*/}}
{{- define "kbr.secretObjectName" -}}
{{- $root := index . 0 }}
{{- $entry := index . 1 }}
{{- if $entry.stringData }}
{{- printf "%s-%s-%s" (include "kbr.fullname" $root) (include "kbr.secretNamespace" $entry) $entry.name | trunc 253 | trimSuffix "-" }}
{{- else }}
{{- default $entry.name $entry.existingSecret }}
{{- end }}
{{- end }}

{{/*
Checks the secrets list and platform.secret, failing the render with a message that names the
value to fix: no two entries for the same namespace/name, stringData and existingSecret not
both, and platform.secret names an entry.
*/}}
{{- define "kbr.validate" -}}
{{- $seen := dict }}
{{- range $i, $s := .Values.secrets }}
{{- $key := printf "%s/%s" (include "kbr.secretNamespace" $s) $s.name }}
{{- if hasKey $seen $key }}
{{- fail (printf "secrets[%d]: %s is listed twice; keep one entry per namespace/name" $i $key) }}
{{- end }}
{{- $_ := set $seen $key true }}
{{- if and $s.stringData $s.existingSecret }}
{{- fail (printf "secrets[%d] (%s): set either stringData (the chart creates the Secret) or existingSecret, not both" $i $key) }}
{{- end }}
{{- if and $s.stringData $s.keys }}
{{- fail (printf "secrets[%d] (%s): keys selects keys of an existing Secret; with stringData every key is mounted" $i $key) }}
{{- end }}
{{- end }}
{{- with .Values.platform.secret }}
{{- if not (hasKey $seen .) }}
{{- fail (printf "platform.secret %s is not in secrets: add an entry with that namespace and name so it is mounted" .) }}
{{- end }}
{{- end }}
{{- end }}

{{/* kbr's command line: apply with the Kubernetes runner in the release namespace. */}}
{{- define "kbr.args" -}}
- apply
- --runner=kubernetes
- {{ printf "--kubernetes-namespace=%s" .Release.Namespace | quote }}
- {{ printf "--platform=%s" (required "platform.url is required: the platform repo's Git URL (or a folder in the image)" .Values.platform.url) | quote }}
{{- with .Values.platform.ref }}
- {{ printf "--platform-ref=%s" . | quote }}
{{- end }}
{{- with .Values.platform.secret }}
- {{ printf "--platform-secret=%s" . | quote }}
{{- end }}
- --secrets-dir={{ include "kbr.secretsDir" . }}
- --cache-dir={{ include "kbr.cacheDir" . }}
{{- range $name := keys .Values.kbr.stateUrls | sortAlpha }}
- {{ printf "--state-url=%s=%s" $name (index $.Values.kbr.stateUrls $name) | quote }}
{{- end }}
- {{ printf "--pipeline-timeout=%s" .Values.kbr.pipelineTimeout | quote }}
{{- if not (kindIs "invalid" .Values.kbr.parallelism) }}
- {{ printf "--parallelism=%d" (int .Values.kbr.parallelism) | quote }}
{{- end }}
{{- with .Values.kbr.kubernetesHelperImage }}
- {{ printf "--kubernetes-helper-image=%s" . | quote }}
{{- end }}
{{- range .Values.kbr.extraArgs }}
- {{ . | quote }}
{{- end }}
{{- end }}
