import { Form, Select, Tag, Typography } from 'antd'
import type { MonitorFormValues } from './formValues'
import { useDatasourceOptions } from './queries'
import { SqlEditor } from './SqlEditor'

/** The datasource (of the chosen service only) and the query. */
export function SqlFields({ readOnly }: { readOnly: boolean }) {
  const form = Form.useFormInstance<MonitorFormValues>()
  const service = Form.useWatch('service', form)
  const chosen = Form.useWatch('datasource', form)
  const datasources = useDatasourceOptions(service)
  const items = datasources.data?.items ?? []
  const dialect = items.find((item) => item.name === chosen)?.dialect
  const help = !service
    ? 'Choose the service first: only its datasources are listed.'
    : datasources.isError
      ? 'Cannot list the datasources of this service (you may lack catalog read).'
      : datasources.isSuccess && items.length === 0
        ? 'This service has no datasource yet: add one in the service catalog.'
        : undefined
  return (
    <>
      <Form.Item label="Datasource" name="datasource" extra={help} rules={[{ required: true, message: 'Choose the database to query' }]}>
        <Select
          placeholder="Choose a datasource"
          disabled={!service}
          loading={datasources.isFetching}
          options={items.map((item) => ({
            value: item.name,
            label: (
              <span>
                {item.name} <Tag style={{ marginInlineStart: 6 }}>{item.dialect}</Tag>
              </span>
            ),
          }))}
          data-testid="monitor-datasource"
        />
      </Form.Item>
      <Form.Item
        label="Query"
        name="query"
        rules={[{ required: true, whitespace: true, message: 'Write the query that finds the dirty data' }]}
        extra={
          <Typography.Text type="secondary">
            One statement that only reads (SELECT, WITH …), run read-only and stopped at the timeout. A capped number of rows
            is read (10,000 by default) and the first rows are kept as the sample: count large sets in SQL.
          </Typography.Text>
        }
      >
        <SqlEditor dialect={dialect} readOnly={readOnly} />
      </Form.Item>
    </>
  )
}
