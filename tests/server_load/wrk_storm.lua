-- wrk_storm.lua - wrk_post.lua plus a check of every answer, for the reload-storm and
-- bad-bundle tests: the body is a /v1/batch of two requests whose decisions the two bundles of
-- the storm swap (bundle A allows the first and denies the second, bundle B the reverse), so an
-- answer from one whole table is exactly `allow, deny` or `deny, allow`, and, when the answer
-- names its revision, the one that revision gives. The third script argument fixes the only
-- valid answer ("allow,deny"), for the bad-bundle test where nothing may change.
dofile(os.getenv("LATTICE_WRK_DIR") .. "/wrk_post.lua")

local expected = nil
local revision_answer = { a = "allow,deny", b = "deny,allow" }

local post_init = init
function init(args)
  post_init(args)
  expected = args[3]
  checked, bad = 0, 0
end

local function reject(body)
  bad = bad + 1
  if first_bad == nil then
    first_bad = string.sub(body, 1, 300)
  end
end

function response(status, headers, body)
  checked = checked + 1
  if status ~= 200 then
    return reject("status " .. status .. ": " .. body)
  end
  local decisions = {}
  for decision in string.gmatch(body, '"decision"%s*:%s*"(%a+)"') do
    table.insert(decisions, decision)
  end
  local answer = table.concat(decisions, ",")
  if answer ~= "allow,deny" and answer ~= "deny,allow" then
    return reject(body)
  end
  if expected and answer ~= expected then
    return reject(body)
  end
  for revision in string.gmatch(body, '"revision"%s*:%s*"([^"]*)"') do
    if revision_answer[revision] and revision_answer[revision] ~= answer then
      return reject(body)
    end
  end
end
