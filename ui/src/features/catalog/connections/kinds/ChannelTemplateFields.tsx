import { Collapse, Form, Input, Typography } from 'antd'

/** The backend's default wording (notify/templates.py), shown as placeholders. */
export const DEFAULT_SUMMARY =
  "[{{ label }}] {{ service }}/{{ monitor }}: {% if state == 'ERROR' %}{{ error or 'the check failed' }}" +
  "{% elif event == 'recovered' %}back to OK{% else %}{{ condition }}{% endif %}" +
  "{% if value is not none and state != 'ERROR' %} (value {{ value }}){% endif %}"

export const DEFAULT_EMAIL_TEXT = `{% if description %}
{{ description }}

{% endif %}
Monitor:    {{ monitor }}
Service:    {{ service }}
State:      {{ state }}{% if previous_state %} (was {{ previous_state }}){% endif %}

Severity:   {{ severity }}
Condition:  {{ condition }}
{% if value is not none %}
Value:      {{ value }}{% if threshold is not none %} (threshold {{ threshold }}){% endif %}

{% endif %}
{% if error %}
Error:      {{ error }}
{% endif %}
Time:       {{ at }}
{% if sample_text %}

Sample:
{{ sample_text }}
{% endif %}
{% if runbook_url %}

Runbook: {{ runbook_url }}
{% endif %}

Open the monitor: {{ link }}`

const VARIABLES: [string, string][] = [
  ['monitor', 'monitor name'],
  ['service', 'service name'],
  ['state', 'OK, ALERTING or ERROR'],
  ['previous_state', 'state before this event'],
  ['label', 'ALERTING, ERROR, RECOVERED, STILL ALERTING or TEST'],
  ['event', 'alerting, error, recovered, reminder or test'],
  ['severity', 'critical, warning or info'],
  ['value', 'the value the check read'],
  ['threshold', 'the condition’s threshold'],
  ['condition', 'the condition in words, e.g. first cell > 0'],
  ['error', 'why the check failed (ERROR)'],
  ['sample_text', 'the sample rows or response as text'],
  ['sample', 'the sample as data (columns, rows)'],
  ['description', 'the monitor’s description'],
  ['runbook_url', 'the monitor’s runbook'],
  ['link', 'the monitor’s page in Gyrfalcon'],
  ['at', 'when it happened (UTC)'],
]

function TemplateHelp() {
  return (
    <Collapse
      size="small"
      ghost
      style={{ marginTop: -8, marginBottom: 16 }}
      items={[
        {
          key: 'variables',
          label: 'Template variables',
          children: (
            <>
              <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
                Jinja, rendered in a sandbox: <Typography.Text code>{'{{ monitor }}'}</Typography.Text>,{' '}
                <Typography.Text code>{'{% if error %}…{% endif %}'}</Typography.Text>. Leave a template blank for the default wording. “Send
                test” shows the result.
              </Typography.Paragraph>
              <dl style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '2px 12px', margin: 0, fontSize: 13 }} data-testid="template-variables">
                {VARIABLES.map(([name, meaning]) => (
                  <div key={name} style={{ display: 'contents' }}>
                    <dt>
                      <Typography.Text code>{name}</Typography.Text>
                    </dt>
                    <dd style={{ margin: 0 }}>
                      <Typography.Text type="secondary">{meaning}</Typography.Text>
                    </dd>
                  </div>
                ))}
              </dl>
            </>
          ),
        },
      ]}
    />
  )
}

const MONO = { fontFamily: 'monospace', fontSize: 12 }

/** The wording of one channel type's messages, as Jinja templates. */
export function ChannelTemplateFields({ type }: { type: 'email' | 'slack' | 'webhook' }) {
  return (
    <>
      {type === 'email' && (
        <>
          <Form.Item label="Subject template" name="subject_template" extra="One line; blank: the default subject.">
            <Input.TextArea autoSize={{ minRows: 1, maxRows: 3 }} style={MONO} placeholder={DEFAULT_SUMMARY} data-testid="channel-subject-template" />
          </Form.Item>
          <Form.Item label="Body template" name="body_template" extra="Plain text; blank: the default message with a table of the sample.">
            <Input.TextArea autoSize={{ minRows: 4, maxRows: 16 }} style={MONO} placeholder={DEFAULT_EMAIL_TEXT} data-testid="channel-body-template" />
          </Form.Item>
        </>
      )}
      {type === 'slack' && (
        <Form.Item label="Text template" name="text_template" extra="Slack mrkdwn; blank: the default summary line.">
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 10 }} style={MONO} placeholder={DEFAULT_SUMMARY} data-testid="channel-text-template" />
        </Form.Item>
      )}
      {type === 'webhook' && (
        <Form.Item label="Message template" name="body_template" extra="The JSON body’s “message” field; the other fields are always sent.">
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 10 }} style={MONO} placeholder={DEFAULT_SUMMARY} data-testid="channel-body-template" />
        </Form.Item>
      )}
      <TemplateHelp />
    </>
  )
}
