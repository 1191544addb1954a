import { Collapse, Form, Input, Typography } from 'antd'
import { $api } from '../../../../api/client'
import type { ResponseOf } from '../../../../api/types'

type TemplateDefaults = ResponseOf<'/api/v1/notification-templates', 'get'>

/** The default wording and the variables, as the backend renders them (never copied here). */
function useTemplateDefaults() {
  return $api.useQuery('get', '/api/v1/notification-templates', undefined, { staleTime: Infinity })
}

function TemplateHelp({ variables }: { variables: TemplateDefaults['variables'] }) {
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
                {variables.map(({ name, meaning }) => (
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
  const defaults = useTemplateDefaults().data
  const summary = defaults?.summary
  return (
    <>
      {type === 'email' && (
        <>
          <Form.Item label="Subject template" name="subject_template" extra="One line; blank: the default subject.">
            <Input.TextArea autoSize={{ minRows: 1, maxRows: 3 }} style={MONO} placeholder={summary} data-testid="channel-subject-template" />
          </Form.Item>
          <Form.Item label="Body template" name="body_template" extra="Plain text; blank: the default message with a table of the sample.">
            <Input.TextArea autoSize={{ minRows: 4, maxRows: 16 }} style={MONO} placeholder={defaults?.email_text} data-testid="channel-body-template" />
          </Form.Item>
        </>
      )}
      {type === 'slack' && (
        <Form.Item label="Text template" name="text_template" extra="Slack mrkdwn; blank: the default summary line.">
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 10 }} style={MONO} placeholder={summary} data-testid="channel-text-template" />
        </Form.Item>
      )}
      {type === 'webhook' && (
        <Form.Item label="Message template" name="body_template" extra="The JSON body’s “message” field; the other fields are always sent.">
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 10 }} style={MONO} placeholder={summary} data-testid="channel-body-template" />
        </Form.Item>
      )}
      {defaults && <TemplateHelp variables={defaults.variables} />}
    </>
  )
}
