"""API schemas by domain: the input, output and presenter of one resource together; routes stay in api/<domain>.py.

Input schemas are types only: the services own every rule (required fields, lengths, choices). Output schemas
document and serialize what the API returns; presenters turn models and service results into the plain dicts
those schemas dump (contact details masked through the service). `common` holds what every resource shares.
"""
