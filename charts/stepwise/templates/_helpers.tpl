{{/* Names, labels and the one Job definition every mode renders. */}}

{{- define "stepwise.name" -}}
{{- .Chart.Name }}
{{- end }}

{{/* The release and project: several projects may be migrated by one release, each through its own dependency alias. */}}
{{- define "stepwise.fullname" -}}
{{- printf "%s-%s" .Release.Name (required "project is required: the project of [assembly: MigrationProject]" .Values.project) | trunc 50 | trimSuffix "-" }}
{{- end }}

{{- define "stepwise.version" -}}
{{- default .Chart.AppVersion .Values.version }}
{{- end }}

{{- define "stepwise.image" -}}
{{- $repository := required "image.repository is required: the runner image of the migrations project" .Values.image.repository }}
{{- if .Values.image.digest }}{{ printf "%s@%s" $repository .Values.image.digest }}
{{- else }}{{ printf "%s:%s" $repository (default (include "stepwise.version" .) .Values.image.tag) }}
{{- end }}
{{- end }}

{{- define "stepwise.selectorLabels" -}}
app.kubernetes.io/name: {{ include "stepwise.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
stepwise.io/project: {{ .Values.project | quote }}
{{- end }}

{{- define "stepwise.labels" -}}
{{ include "stepwise.selectorLabels" . }}
app.kubernetes.io/version: {{ include "stepwise.version" . | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end }}

{{/*
The migration Job. Called with (dict "root" $ "phase" "pre"|"post"): "pre" migrates before the release's pods roll out
(the target's post-upgrade migrations deferred, or the rollback of rollback.toVersion), "post" runs the deferred ones
after the release is up.
*/}}
{{- define "stepwise.job" -}}
{{- $root := .root }}
{{- $values := $root.Values }}
{{- $phase := .phase }}
{{- $image := include "stepwise.image" $root }}
{{- $version := include "stepwise.version" $root }}
{{- $connection := $values.connection }}
{{- $secret := required "connection.existingSecret is required: the Secret with the database connection, created before the release" $connection.existingSecret }}
apiVersion: batch/v1
kind: Job
metadata:
  {{- if eq $values.mode "plain" }}
  {{- /* Stable under `helm template` while project, version and image stay; a new Job when one of them changes. */}}
  name: {{ printf "%s-migrate-%s" (include "stepwise.fullname" $root) (printf "%s|%s|%s" $values.project $version $image | sha256sum | trunc 10) }}
  {{- else }}
  name: {{ printf "%s-migrate-%s" (include "stepwise.fullname" $root) $phase }}
  {{- end }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "stepwise.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ printf "migrate-%s" $phase }}
  {{- if ne $values.mode "plain" }}
  annotations:
    {{- if eq $values.mode "argocd" }}
    argocd.argoproj.io/hook: {{ ternary "PreSync" "PostSync" (eq $phase "pre") }}
    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation,HookSucceeded
    {{- else }}
    helm.sh/hook: {{ ternary "pre-install,pre-upgrade" "post-install,post-upgrade" (eq $phase "pre") }}
    helm.sh/hook-weight: {{ ternary "-10" "10" (eq $phase "pre") | quote }}
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
    {{- end }}
  {{- end }}
spec:
  backoffLimit: {{ $values.job.backoffLimit }}
  activeDeadlineSeconds: {{ $values.job.activeDeadlineSeconds }}
  {{- if not (kindIs "invalid" $values.job.ttlSecondsAfterFinished) }}
  ttlSecondsAfterFinished: {{ $values.job.ttlSecondsAfterFinished }}
  {{- end }}
  # Retrying cannot help when the runner's answer is deterministic: bad input or configuration (2), a check that
  # refused (3, 4, 5), drift (7), a failing migration (9), the database's state (10), a missing privilege (11).
  # A lost connection (8), a lock held too long (6) or an unexpected error (1) may pass on the next try; a node's
  # disruption never counts against the retries.
  podFailurePolicy:
    rules:
      - action: FailJob
        onExitCodes:
          containerName: migrate
          operator: In
          values: [2, 3, 4, 5, 7, 9, 10, 11]
      - action: Ignore
        onPodConditions:
          - type: DisruptionTarget
  template:
    metadata:
      labels:
        {{- include "stepwise.selectorLabels" $root | nindent 8 }}
        app.kubernetes.io/component: {{ printf "migrate-%s" $phase }}
        {{- with $values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with $values.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      restartPolicy: Never
      automountServiceAccountToken: false
      terminationGracePeriodSeconds: {{ $values.job.terminationGracePeriodSeconds }}
      {{- if or $values.serviceAccount.create $values.serviceAccount.name }}
      serviceAccountName: {{ default (include "stepwise.fullname" $root) $values.serviceAccount.name }}
      {{- end }}
      {{- with $values.imagePullSecrets }}
      imagePullSecrets:
        {{- range . }}
        - name: {{ . }}
        {{- end }}
      {{- end }}
      {{- with $values.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      securityContext:
        runAsNonRoot: true
        runAsUser: {{ $values.securityContext.runAsUser }}
        runAsGroup: {{ $values.securityContext.runAsGroup }}
        # Kubernetes writes a Secret volume's files as root; their group is this one, so that the runner can read them.
        fsGroup: {{ $values.securityContext.runAsGroup }}
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: migrate
          image: {{ $image }}
          imagePullPolicy: {{ $values.image.pullPolicy }}
          args:
            {{- if and (eq $phase "pre") $values.rollback.toVersion }}
            - rollback
            - --version
            - {{ $values.rollback.toVersion | quote }}
            {{- else }}
            - migrate
            - --version
            - {{ $version | quote }}
            {{- if and (eq $phase "pre") $values.job.post (ne $values.mode "plain") }}
            - --defer-post-upgrade
            {{- end }}
            {{- with $values.fromVersion }}
            - --from-version
            - {{ . | quote }}
            {{- end }}
            {{- end }}
            - --project
            - {{ $values.project | quote }}
            - --database-type
            - {{ $values.databaseType }}
            {{- with $values.environment }}
            - --environment
            - {{ . | quote }}
            {{- end }}
            - --lock-timeout
            - {{ $values.lockTimeout | quote }}
            - --log-format
            - {{ $values.logFormat }}
            - --log-level
            - {{ $values.logLevel }}
          env:
            {{- if $connection.connectionStringKey }}
            - name: STEPWISE_CONNECTION_FILE
              value: /var/run/secrets/stepwise/db/connection
            {{- else }}
            - name: DB_HOST
              valueFrom:
                secretKeyRef: { name: {{ $secret }}, key: {{ $connection.keys.host }}, optional: true }
            - name: DB_PORT
              valueFrom:
                secretKeyRef: { name: {{ $secret }}, key: {{ $connection.keys.port }}, optional: true }
            - name: DB_NAME
              valueFrom:
                secretKeyRef: { name: {{ $secret }}, key: {{ $connection.keys.database }}, optional: true }
            - name: DB_USER
              valueFrom:
                secretKeyRef: { name: {{ $secret }}, key: {{ $connection.keys.username }}, optional: true }
            - name: DB_PASSWORD_FILE
              value: /var/run/secrets/stepwise/db/password
            {{- end }}
            {{- /* The keys are optional so that a missing Secret or key fails the Job at once with the runner's message naming it,
                   instead of a pod that waits in CreateContainerConfigError until the deadline. */}}
            - name: STEPWISE_CONNECTION_SOURCE
              value: {{ printf "Secret '%s'" $secret | quote }}
            {{- with $values.tls.sslMode }}
            - name: DB_SSLMODE
              value: {{ . }}
            {{- end }}
            {{- if or $values.tls.caSecret $values.tls.caConfigMap }}
            - name: DB_SSLROOTCERT
              value: {{ printf "/var/run/secrets/stepwise/ca/%s" $values.tls.caKey }}
            {{- end }}
            {{- /* Who and what ran, for the audit trail's sinks. */}}
            - name: STEPWISE_IMAGE
              value: {{ $image | quote }}
            - name: STEPWISE_SERVICE_ACCOUNT
              valueFrom:
                fieldRef: { fieldPath: spec.serviceAccountName }
            {{- with $values.telemetry.otlpEndpoint }}
            - name: OTEL_EXPORTER_OTLP_ENDPOINT
              value: {{ . | quote }}
            - name: OTEL_EXPORTER_OTLP_PROTOCOL
              value: {{ $values.telemetry.protocol | quote }}
            - name: STEPWISE_JOB_NAME
              valueFrom:
                fieldRef: { fieldPath: "metadata.labels['job-name']" }
            - name: OTEL_RESOURCE_ATTRIBUTES
              value: "k8s.job.name=$(STEPWISE_JOB_NAME),k8s.namespace.name={{ $root.Release.Namespace }}"
            {{- end }}
            {{- with $values.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          volumeMounts:
            - name: db
              mountPath: /var/run/secrets/stepwise/db
              readOnly: true
            {{- if or $values.tls.caSecret $values.tls.caConfigMap }}
            - name: ca
              mountPath: /var/run/secrets/stepwise/ca
              readOnly: true
            {{- end }}
            - name: tmp
              mountPath: /tmp
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
          terminationMessagePolicy: FallbackToLogsOnError
          {{- with $values.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
      volumes:
        - name: db
          secret:
            secretName: {{ $secret }}
            optional: true
            defaultMode: 288 # 0440: owner root, group fsGroup (the runner's own group); nobody else reads it
            items:
              {{- if $connection.connectionStringKey }}
              - { key: {{ $connection.connectionStringKey }}, path: connection }
              {{- else }}
              - { key: {{ $connection.keys.password }}, path: password }
              {{- end }}
        {{- if $values.tls.caSecret }}
        - name: ca
          secret:
            secretName: {{ $values.tls.caSecret }}
            items:
              - { key: {{ $values.tls.caKey }}, path: {{ $values.tls.caKey }} }
        {{- else if $values.tls.caConfigMap }}
        - name: ca
          configMap:
            name: {{ $values.tls.caConfigMap }}
            items:
              - { key: {{ $values.tls.caKey }}, path: {{ $values.tls.caKey }} }
        {{- end }}
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
      {{- with $values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end }}
