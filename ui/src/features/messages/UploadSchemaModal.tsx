import { useEffect, useRef, useState, type ChangeEvent } from 'react'
import { App, AutoComplete, Button, Card, Empty, Flex, Form, Input, Modal, Select, Typography } from 'antd'
import type { TextAreaRef } from 'antd/es/input/TextArea'
import { DeleteOutlined, FileAddOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons'
import { problemOf } from '../../api/errors'
import { applyProblemToForm } from '../../components/formErrors'
import { FormProblem, type FormProblemState } from '../../components/FormProblem'
import { CompileErrors } from './CompileErrors'
import { compileProblems, filesBody, lineRange, mergeFiles, type CompileProblem, type ProtoFile } from './protoFiles'
import { useSchemaFiles, useSchemas, useUploadSchema } from './queries'
import type { Schema } from './types'

interface Props {
  open: boolean
  /** The services the user may upload to. */
  services: string[]
  /** A schema to upload the next version of (its latest files to start from). */
  schema: Schema | null
  onClose: () => void
}

interface Values {
  service: string
  name: string
  description: string
}

const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 12 }

/** Upload .proto files (picked, pasted or both): a new schema, or the next version of one. */
export function UploadSchemaModal({ open, services, schema, onClose }: Props) {
  const [form] = Form.useForm<Values>()
  const { message } = App.useApp()
  const upload = useUploadSchema()
  const [files, setFiles] = useState<ProtoFile[]>([])
  const [compile, setCompile] = useState<CompileProblem[] | null>(null)
  const [problem, setProblem] = useState<FormProblemState | null>(null)
  const [noFiles, setNoFiles] = useState(false)
  const picker = useRef<HTMLInputElement>(null)
  const errorsAt = useRef<HTMLDivElement>(null)
  const editors = useRef(new Map<number, TextAreaRef | null>())
  const latest = useSchemaFiles(open && schema ? schema.id : null)
  const existing = useSchemas()
  const service = Form.useWatch('service', form)
  const name = Form.useWatch('name', form)

  useEffect(() => {
    if (!open) return
    form.resetFields()
    form.setFieldsValue({
      service: schema?.service ?? (services.length === 1 ? services[0] : undefined),
      name: schema?.name ?? '',
      description: schema?.description ?? '',
    })
    setFiles([])
    setCompile(null)
    setProblem(null)
    setNoFiles(false)
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only on opening
  }, [open, schema, form])

  // The next version starts from the latest one's files.
  useEffect(() => {
    if (open && schema && latest.data && files.length === 0) {
      setFiles(Object.entries(latest.data.files).map(([path, text]) => ({ path, text })))
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- filled once, when they arrive
  }, [open, schema, latest.data])

  // The errors sit above the form; the submit button is below it: bring them into view.
  useEffect(() => {
    if (compile || problem) errorsAt.current?.scrollIntoView({ block: 'start' })
  }, [compile, problem])

  const same = (existing.data ?? []).find((item) => item.service === service && item.name === (name ?? '').trim())
  const namesOfService = (existing.data ?? []).filter((item) => item.service === service).map((item) => ({ value: item.name }))

  const pick = async (event: ChangeEvent<HTMLInputElement>) => {
    const picked = [...(event.target.files ?? [])]
    event.target.value = ''
    const added = await Promise.all(picked.map(async (file) => ({ path: file.webkitRelativePath || file.name, text: await file.text() })))
    setFiles((current) => mergeFiles(current, added))
    setNoFiles(false)
  }

  const edit = (index: number, change: Partial<ProtoFile>) => setFiles((current) => current.map((file, i) => (i === index ? { ...file, ...change } : file)))

  const show = (target: CompileProblem) => {
    const index = files.findIndex((file) => file.path === target.file)
    const area = editors.current.get(index)?.resizableTextArea?.textArea
    if (!area || target.line === null) return
    const [start, end] = lineRange(files[index].text, target.line)
    area.focus()
    area.setSelectionRange(start, end)
    area.scrollIntoView({ block: 'center', behavior: 'smooth' })
  }

  const submit = (values: Values) => {
    const body = filesBody(files)
    if (Object.keys(body).length === 0) {
      setNoFiles(true)
      return
    }
    setCompile(null)
    setProblem(null)
    upload.mutate(
      { service: values.service, name: values.name.trim(), description: (values.description ?? '').trim(), files: body },
      {
        onSuccess: (uploaded) => {
          const { version } = uploaded
          message.success(
            `${uploaded.schema.service}/${uploaded.schema.name} version ${version.version} saved: ${version.message_types.length} message type${version.message_types.length === 1 ? '' : 's'}`,
          )
          if (version.warnings.length) message.warning(`The compiler warned: ${version.warnings.map((w) => w.message).join('; ')}`)
          onClose()
        },
        onError: (error) => {
          const found = compileProblems(problemOf(error))
          if (found) setCompile(found)
          else setProblem(applyProblemToForm(form, error))
        },
      },
    )
  }

  return (
    <Modal
      open={open}
      onCancel={onClose}
      width={900}
      destroyOnHidden
      title={schema ? `Upload a new version of ${schema.service}/${schema.name}` : 'Upload a schema'}
      data-testid="schema-upload-modal"
      okText={same ? `Upload as version ${same.latest_version + 1}` : 'Upload'}
      okButtonProps={{ loading: upload.isPending, ...{ 'data-testid': 'schema-upload-submit' } }}
      onOk={() => form.submit()}
    >
      <Typography.Paragraph type="secondary">
        Pick the .proto files, or paste them. Name each one by the path the others import it by (
        <Typography.Text code>shop/customer.proto</Typography.Text>); Google's well-known types are there already. The files
        are compiled at once, and a schema of the same service and name becomes its next version.
      </Typography.Paragraph>
      <div ref={errorsAt} style={{ scrollMarginTop: 16 }}>
        <FormProblem state={problem} title="The schema was not uploaded" />
        {compile && <CompileErrors problems={compile} files={files} onShow={show} />}
      </div>
      <Form<Values> form={form} layout="vertical" onFinish={submit} data-testid="schema-upload-form">
        <Flex gap={12} wrap>
          <Form.Item label="Service" name="service" rules={[{ required: true, message: 'Pick the service the schema belongs to' }]} style={{ flex: '1 1 220px' }}>
            <Select
              showSearch
              disabled={Boolean(schema)}
              placeholder="The service whose messages it describes"
              options={services.map((item) => ({ value: item, label: item }))}
              notFoundContent="You may upload schemas to no service"
              data-testid="schema-service"
            />
          </Form.Item>
          <Form.Item
            label="Name"
            name="name"
            rules={[{ required: true, whitespace: true, message: 'Name the schema' }, { max: 200 }]}
            extra={same ? `${same.service}/${same.name} has ${same.versions} version${same.versions === 1 ? '' : 's'}: this upload becomes version ${same.latest_version + 1}.` : undefined}
            style={{ flex: '1 1 220px' }}
          >
            <AutoComplete options={namesOfService} disabled={Boolean(schema)} placeholder="shop" data-testid="schema-name" />
          </Form.Item>
        </Flex>
        <Form.Item label="Description" name="description" rules={[{ max: 2000 }]}>
          <Input placeholder="What the schema describes" data-testid="schema-description" />
        </Form.Item>
      </Form>
      <Flex justify="space-between" align="center" gap={8} wrap style={{ marginBottom: 8 }}>
        <Typography.Text strong>Files</Typography.Text>
        <Flex gap={8} wrap>
          <input ref={picker} type="file" accept=".proto" multiple hidden onChange={(event) => void pick(event)} data-testid="schema-file-input" />
          <Button icon={<UploadOutlined />} onClick={() => picker.current?.click()} data-testid="schema-pick-files">
            Add .proto files
          </Button>
          <Button icon={<PlusOutlined />} onClick={() => setFiles((current) => [...current, { path: '', text: '' }])} data-testid="schema-add-file">
            Paste a file
          </Button>
        </Flex>
      </Flex>
      {noFiles && <Typography.Text type="danger" style={{ display: 'block', marginBottom: 8 }}>Add at least one .proto file.</Typography.Text>}
      {files.length === 0 ? (
        <Empty
          image={<FileAddOutlined style={{ fontSize: 40, color: '#bfbfbf' }} />}
          styles={{ image: { height: 48 } }}
          description={schema && latest.isPending ? 'Loading the latest version’s files…' : 'No file yet: add the .proto files, or paste one.'}
          data-testid="schema-no-files"
        />
      ) : (
        <Flex vertical gap={12}>
          {files.map((file, index) => {
            const failing = (compile ?? []).filter((item) => item.file === file.path).length
            return (
              <Card
                key={index}
                size="small"
                data-testid={`schema-file-${index}`}
                style={failing ? { borderColor: '#ffa39e' } : undefined}
                title={
                  <Input
                    value={file.path}
                    onChange={(event) => edit(index, { path: event.target.value })}
                    placeholder="shop/order.proto"
                    aria-label={`File ${index + 1} path`}
                    variant="borderless"
                    style={{ ...mono, paddingInline: 0, fontWeight: 600 }}
                    status={file.path.trim() === '' || !file.path.endsWith('.proto') ? 'warning' : undefined}
                    data-testid={`schema-file-path-${index}`}
                  />
                }
                extra={
                  <Flex gap={8} align="center">
                    {failing > 0 && (
                      <Typography.Text type="danger" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
                        {failing} error{failing === 1 ? '' : 's'}
                      </Typography.Text>
                    )}
                    <Button
                      type="text"
                      size="small"
                      icon={<DeleteOutlined />}
                      aria-label={`Remove ${file.path || `file ${index + 1}`}`}
                      onClick={() => setFiles((current) => current.filter((_, i) => i !== index))}
                    />
                  </Flex>
                }
                styles={{ body: { padding: 0 } }}
              >
                <Input.TextArea
                  ref={(element) => {
                    editors.current.set(index, element)
                  }}
                  value={file.text}
                  onChange={(event) => edit(index, { text: event.target.value })}
                  autoSize={{ minRows: 4, maxRows: 14 }}
                  variant="borderless"
                  spellCheck={false}
                  placeholder={'syntax = "proto3";\npackage shop;\n\nmessage Order { string id = 1; }'}
                  aria-label={`File ${index + 1} text`}
                  style={{ ...mono, whiteSpace: 'pre', overflowX: 'auto' }}
                  wrap="off"
                  data-testid={`schema-file-text-${index}`}
                />
              </Card>
            )
          })}
        </Flex>
      )}
    </Modal>
  )
}
