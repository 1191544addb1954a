import { describe, expect, it } from 'vitest'
import { compileProblems, filesBody, lineRange, mergeFiles, placeFiles, placeText, snippet } from './protoFiles'

const customer = 'syntax = "proto3";\npackage shop;\nmessage Customer { string id = 1; }\n'
const order = 'syntax = "proto3";\npackage shop;\nimport "google/protobuf/any.proto";\nimport "shop/customer.proto";\nmessage Order { Customer customer = 1; }\n'

describe('where picked files go', () => {
  it('puts a bare-named file where another imports it, and its package with it', () => {
    const placed = placeFiles([
      { path: 'order.proto', text: order },
      { path: 'customer.proto', text: customer },
    ])
    expect(placed.map((file) => file.path)).toEqual(['shop/order.proto', 'shop/customer.proto'])
  })

  it('leaves named paths, and files imported by their bare name, alone', () => {
    const flat = 'syntax = "proto3";\nimport "customer.proto";\n'
    expect(placeFiles([{ path: 'customer.proto', text: customer }, { path: 'main.proto', text: flat }]).map((f) => f.path)).toEqual(['customer.proto', 'main.proto'])
    expect(placeFiles([{ path: 'api/order.proto', text: order }]).map((f) => f.path)).toEqual(['api/order.proto'])
  })

  it('replaces a file picked again, under the path it was given', () => {
    const first = mergeFiles([], [{ path: 'order.proto', text: 'broken' + order }, { path: 'customer.proto', text: customer }])
    const again = mergeFiles(first, [{ path: 'order.proto', text: order }])
    expect(again).toEqual([
      { path: 'shop/order.proto', text: order },
      { path: 'shop/customer.proto', text: customer },
    ])
    expect(filesBody([...again, { path: ' ', text: '' }])).toEqual({ 'shop/order.proto': order, 'shop/customer.proto': customer })
  })
})

describe('compile errors', () => {
  const problem = {
    title: 'Schema does not compile',
    status: 422,
    errors: [
      { field: 'files.shop/order.proto', message: 'shop/order.proto:29:5: "strin" is not defined.' },
      { field: 'files.shop/x.proto', message: 'shop/x.proto: File not found.' },
      { field: 'files', message: 'the compiler did not finish within 30 s' },
    ],
  }

  it('reads the file, line and column out of what protoc said', () => {
    expect(compileProblems(problem)).toEqual([
      { file: 'shop/order.proto', line: 29, column: 5, message: '"strin" is not defined.' },
      { file: 'shop/x.proto', line: null, column: null, message: 'File not found.' },
      { file: null, line: null, column: null, message: 'the compiler did not finish within 30 s' },
    ])
    expect(compileProblems({ title: 'Invalid input', status: 422, errors: [] })).toBeNull()
  })

  it('prefers the structured place when the error carries one', () => {
    const structured = { ...problem, errors: [{ field: 'files.a.proto', message: 'a.proto:3:1: bad', file: 'a.proto', line: 3, column: 1 }] }
    expect(compileProblems(structured as never)).toEqual([{ file: 'a.proto', line: 3, column: 1, message: 'bad' }])
  })

  it('says where and shows the lines around it', () => {
    expect(placeText({ file: 'a.proto', line: 3, column: 7, message: '' })).toBe('a.proto:3:7')
    expect(placeText({ file: 'a.proto', line: null, column: null, message: '' })).toBe('a.proto')
    expect(snippet('one\ntwo\nthree\nfour\nfive\nsix', 2)).toEqual([
      { number: 1, text: 'one', offending: false },
      { number: 2, text: 'two', offending: true },
      { number: 3, text: 'three', offending: false },
      { number: 4, text: 'four', offending: false },
    ])
    expect(snippet('one', 9)).toEqual([])
    expect(lineRange('one\ntwo\nthree', 2)).toEqual([4, 7])
  })
})
