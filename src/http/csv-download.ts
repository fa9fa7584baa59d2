import type restify from 'restify';

/** Answers a CSV as a file to keep; never cached, since it stands behind a signed link. */
export const sendCsvFile = (res: restify.Response, filename: string, csv: string): void => {
  res.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${filename}"`,
    'cache-control': 'no-store',
  });
  res.end(csv);
};
