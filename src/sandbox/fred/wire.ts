import { jsonResponse, type EmulatorResponse } from '../shared/http.js';

/** FRED answers XML unless the request says `file_type=json` — errors included (fred.md §7.1). */
export type FileType = 'json' | 'xml';

export function fileTypeOf(query: URLSearchParams): FileType {
  return query.get('file_type') === 'json' ? 'json' : 'xml';
}

const XML_HEADERS = { 'content-type': 'text/xml; charset=UTF-8' };
const JSON_HEADERS = { 'content-type': 'application/json; charset=UTF-8' };
const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8" ?>';

export type XmlAttributes = ReadonlyArray<readonly [string, string | number]>;

/** An element with attributes and either child elements or a text body. */
export interface XmlNode {
  name: string;
  attributes: XmlAttributes;
  children?: readonly XmlNode[];
  text?: string;
}

export function json(status: number, value: unknown): EmulatorResponse {
  return jsonResponse(status, value, JSON_HEADERS);
}

export function xml(status: number, root: XmlNode): EmulatorResponse {
  const lines = [XML_DECLARATION, open(root)];
  for (const child of root.children ?? []) lines.push(`  ${leaf(child)}`);
  lines.push(`</${root.name}>`);
  return { status, body: `${lines.join('\n')}\n`, headers: { ...XML_HEADERS } };
}

/** `{"error_code": …, "error_message": …}`, or `<error code=… message=… />` without file_type=json. */
export function errorResponse(status: number, message: string, fileType: FileType): EmulatorResponse {
  if (fileType === 'json') return json(status, { error_code: status, error_message: message });
  const body = `${XML_DECLARATION}\n<error code="${status}" message="${escapeXml(message)}" />\n`;
  return { status, body, headers: { ...XML_HEADERS } };
}

function open(node: XmlNode): string {
  return `<${node.name}${attributesOf(node.attributes)}>`;
}

function leaf(node: XmlNode): string {
  if (node.text !== undefined) return `${open(node)}${escapeXml(node.text)}</${node.name}>`;
  return `<${node.name}${attributesOf(node.attributes)}/>`;
}

function attributesOf(attributes: XmlAttributes): string {
  return attributes.map(([name, value]) => ` ${name}="${escapeXml(String(value))}"`).join('');
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
