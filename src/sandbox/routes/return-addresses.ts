/** `GET/POST /post/return-addresses`, `GET/PUT/DELETE /post/return-addresses/{return_address_id}`. */
import { z } from 'zod';
import type { SandboxDeps } from '../deps.js';
import { ApiError, success } from '../envelope.js';
import { accountOf } from '../outbound.js';
import { paginate } from '../paging.js';
import type { ApiRequest, Route } from '../router.js';
import { nextId, type ReturnAddressRecord } from '../state.js';
import { idParam, looseText, parseBody, requiredText } from '../validation.js';

const CreateSchema = z.looseObject({
  address_name: requiredText,
  address_line_1: requiredText,
  address_line_2: looseText,
  address_city: requiredText,
  address_state: looseText,
  address_postal_code: requiredText,
  address_country: requiredText,
});

const UpdateSchema = z.looseObject({
  address_name: requiredText.optional(),
  address_line_1: requiredText.optional(),
  address_line_2: looseText,
  address_city: requiredText.optional(),
  address_state: looseText,
  address_postal_code: requiredText.optional(),
  address_country: requiredText.optional(),
});

const PATH = '/v3/post/return-addresses';

export const returnAddressRoutes = (deps: SandboxDeps): Route[] => {
  const { state } = deps;

  const find = (request: ApiRequest): ReturnAddressRecord => {
    const found = state.returnAddresses.get(idParam(request.params.return_address_id, 'Return address'));
    if (!found) throw new ApiError('NOT_FOUND', 'Return address not found.');
    return found;
  };

  const list = (request: ApiRequest) =>
    success('Here are your records.', paginate([...state.returnAddresses.values()], request.query, `${deps.baseUrl()}${PATH}`));

  const create = (request: ApiRequest) => {
    const account = accountOf(request);
    const body = parseBody(CreateSchema, request.body);
    const record: ReturnAddressRecord = {
      return_address_id: nextId(state, 'returnAddress'),
      user_id: account.userId,
      address_name: body.address_name,
      address_line_1: body.address_line_1,
      address_line_2: body.address_line_2 ?? '',
      address_city: body.address_city,
      address_state: body.address_state ?? '',
      address_postal_code: body.address_postal_code,
      address_country: body.address_country.toUpperCase(),
    };
    state.returnAddresses.set(record.return_address_id, record);
    return success('New return address has been added.', record);
  };

  const update = (request: ApiRequest) => {
    const record = find(request);
    const body = parseBody(UpdateSchema, request.body ?? {});
    for (const key of Object.keys(UpdateSchema.shape) as (keyof typeof UpdateSchema.shape)[]) {
      const value = body[key];
      if (value !== undefined) record[key] = key === 'address_country' ? value.toUpperCase() : value;
    }
    return success('Your return address has been updated.', record);
  };

  const remove = (request: ApiRequest) => {
    state.returnAddresses.delete(find(request).return_address_id);
    return success('Your return address has been deleted.', []);
  };

  return [
    { method: 'GET', path: PATH, access: 'account', handle: list },
    { method: 'POST', path: PATH, access: 'account', handle: create },
    { method: 'GET', path: `${PATH}/:return_address_id`, access: 'account', handle: (r) => success('Here is your data.', find(r)) },
    { method: 'PUT', path: `${PATH}/:return_address_id`, access: 'account', handle: update },
    { method: 'DELETE', path: `${PATH}/:return_address_id`, access: 'account', handle: remove },
  ];
};
