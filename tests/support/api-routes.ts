import type { Role } from '../../vocabulary/actors';

/**
 * Every protected /api/v1 route and the roles allowed on it: the table the role-matrix test
 * (tests/integration/api-roles.test.ts) runs each route against, with no credentials, with each
 * role that is not allowed (403) and with each role that is (neither 401 nor 403). Add your
 * routes here; `body` is a valid request for an allowed role.
 */
export interface ApiRouteCase {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  roles: readonly Role[];
  body?: unknown;
  /** For bodies that are not JSON (a CSV file). */
  contentType?: string;
  /** The path as the OpenAPI document writes it, when it has parameters (`/dossiers/{code}`). */
  documentedAs?: string;
}

const dossier = {
  procedureCode: '1.001193',
  applicantName: 'Nguyễn Văn Bình',
  applicantPhone: '0912345678',
  channel: 'online',
  receivedAt: '2026-11-20T08:00:00+07:00',
  dueAt: '2026-11-22T08:00:00+07:00',
  officeId: 1,
};

export const API_ROUTES: ApiRouteCase[] = [
  { method: 'GET', path: '/api/v1/auth/me', roles: ['admin', 'official', 'staff'] },
  { method: 'POST', path: '/api/v1/auth/logout', roles: ['admin', 'official', 'staff'] },
  { method: 'POST', path: '/api/v1/tokens', roles: ['admin'], body: { name: 'matrix', role: 'staff' } },
  { method: 'GET', path: '/api/v1/tokens', roles: ['admin'] },
  { method: 'DELETE', path: '/api/v1/tokens/999999', roles: ['admin'], documentedAs: '/tokens/{id}' },
  { method: 'GET', path: '/api/v1/audit', roles: ['admin'] },
  { method: 'PUT', path: '/api/v1/dossiers/MATRIX-0001', roles: ['staff', 'admin'], body: dossier, documentedAs: '/dossiers/{code}' },
  {
    method: 'POST',
    path: '/api/v1/dossiers/MATRIX-0001/events',
    roles: ['staff', 'admin'],
    body: { status: 'processing' },
    documentedAs: '/dossiers/{code}/events',
  },
  { method: 'GET', path: '/api/v1/dossiers/MATRIX-0001', roles: ['staff', 'admin', 'official'], documentedAs: '/dossiers/{code}' },
  { method: 'GET', path: '/api/v1/dossiers?status=received', roles: ['staff', 'admin', 'official'] },
  {
    method: 'POST',
    path: '/api/v1/dossiers/import',
    roles: ['staff', 'admin'],
    contentType: 'text/csv',
    body: 'receipt_code,procedure_code,office_id,applicant_name,applicant_phone,channel,received_at,due_at\nMATRIX-0002,1.001193,1,Lê Văn C,0912345679,counter,20/11/2026 08:00,22/11/2026 08:00',
  },
  { method: 'GET', path: '/api/v1/stats?from=2026-11-01&to=2026-11-30', roles: ['official', 'admin'] },
  { method: 'POST', path: '/api/v1/citizens', roles: ['staff', 'admin'], body: { phone: '0912345678', fullName: 'Nguyễn Văn Bình' } },
  { method: 'GET', path: '/api/v1/citizens?phone=0912345678', roles: ['staff', 'admin'] },
  { method: 'POST', path: '/api/v1/citizens/1/documents', roles: ['staff', 'admin'], body: {}, documentedAs: '/citizens/{id}/documents' },
  { method: 'GET', path: '/api/v1/citizens/1/documents/1/file', roles: ['staff', 'admin'], documentedAs: '/citizens/{id}/documents/{documentId}/file' },
  { method: 'GET', path: '/api/v1/certification/requests?status=submitted', roles: ['staff', 'admin'] },
  { method: 'GET', path: '/api/v1/certification/requests/1', roles: ['staff', 'admin'], documentedAs: '/certification/requests/{id}' },
  {
    method: 'POST',
    path: '/api/v1/certification/requests/1/confirm',
    roles: ['staff', 'admin'],
    body: {},
    documentedAs: '/certification/requests/{id}/confirm',
  },
  {
    method: 'POST',
    path: '/api/v1/certification/requests/1/reject',
    roles: ['staff', 'admin'],
    body: { reason: 'Thiếu bản scan' },
    documentedAs: '/certification/requests/{id}/reject',
  },
  {
    method: 'POST',
    path: '/api/v1/certification/requests/1/ready',
    roles: ['staff', 'admin'],
    body: { pickupPlace: 'Quầy 3' },
    documentedAs: '/certification/requests/{id}/ready',
  },
  {
    method: 'POST',
    path: '/api/v1/certification/requests/1/deliver',
    roles: ['staff', 'admin'],
    body: { via: 'counter' },
    documentedAs: '/certification/requests/{id}/deliver',
  },
  { method: 'POST', path: '/api/v1/certification/telephone/codes', roles: ['staff', 'admin'], body: { phone: '0912345678' } },
  {
    method: 'POST',
    path: '/api/v1/certification/telephone/requests',
    roles: ['staff', 'admin'],
    body: { challengeId: 'matrix-challenge-0001', code: '123456', items: [{ documentId: 1, copies: 1 }], delivery: { method: 'pickup' } },
  },
  // Broadcasts, permits and areas (issue 6).
  { method: 'POST', path: '/api/v1/broadcasts/preview', roles: ['official', 'admin'], body: { audience: {} } },
  {
    method: 'POST',
    path: '/api/v1/broadcasts',
    roles: ['official', 'admin'],
    body: { text: 'Thông báo lịch làm việc.', audience: { channels: ['telegram'] } },
  },
  { method: 'GET', path: '/api/v1/broadcasts', roles: ['official', 'admin'] },
  { method: 'GET', path: '/api/v1/broadcasts/999999', roles: ['official', 'admin'], documentedAs: '/broadcasts/{id}' },
  { method: 'GET', path: '/api/v1/broadcasts/999999/progress', roles: ['official', 'admin'], documentedAs: '/broadcasts/{id}/progress' },
  { method: 'GET', path: '/api/v1/broadcasts/999999/report', roles: ['official', 'admin'], documentedAs: '/broadcasts/{id}/report' },
  { method: 'POST', path: '/api/v1/broadcasts/999999/send', roles: ['official', 'admin'], body: {}, documentedAs: '/broadcasts/{id}/send' },
  { method: 'POST', path: '/api/v1/broadcasts/999999/cancel', roles: ['official', 'admin'], documentedAs: '/broadcasts/{id}/cancel' },
  { method: 'POST', path: '/api/v1/broadcasts/999999/test', roles: ['official', 'admin'], body: { identityId: 1 }, documentedAs: '/broadcasts/{id}/test' },
  {
    method: 'POST',
    path: '/api/v1/permits',
    roles: ['staff', 'admin'],
    body: {
      holderName: 'Trần Thị Bình',
      phone: '0912345678',
      kind: 'Giấy phép kinh doanh',
      number: 'MATRIX-GP-1',
      issuedOn: '2025-01-10',
      expiresOn: '2027-01-10',
      office: 'UBND phường Bến Thành',
    },
  },
  {
    method: 'POST',
    path: '/api/v1/permits/import',
    roles: ['staff', 'admin'],
    contentType: 'text/csv',
    body: 'holder_name,phone,kind,number,issued,expires,office\nLê Văn Cường,0987654321,Giấy phép xây dựng,MATRIX-XD-1,01/05/2025,01/05/2027,UBND phường Tân Định',
  },
  { method: 'GET', path: '/api/v1/areas', roles: ['staff', 'official', 'admin'] },
  { method: 'PUT', path: '/api/v1/areas', roles: ['admin'], body: { items: [{ code: 'ben-thanh', name: 'Phường Bến Thành' }] } },
];
