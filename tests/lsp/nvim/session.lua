-- session.lua - an editor session in headless Neovim (its built-in LSP client, 0.7 API) against
-- `lattice lsp`: open the EV-charging policy, type a typo, take the "did you mean" code action,
-- hover a role, jump to its definition, format. Run by run.py, which bounds it in time.
local function check(condition, message)
  if not condition then
    error(message, 2)
  end
end

local function wait(what, predicate)
  check(vim.wait(20000, predicate, 20), 'timed out waiting for ' .. what)
end

local function session()
  local lattice = assert(vim.env.LATTICE_BIN, 'LATTICE_BIN')
  local folder = assert(vim.env.LATTICE_LSP_FOLDER, 'LATTICE_LSP_FOLDER')
  vim.cmd('edit ' .. vim.fn.fnameescape(folder .. '/policy.lat'))
  local buf = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(buf)

  -- Every publishDiagnostics as the server sent it (with `data`, which code actions read).
  local published = {}
  local default = vim.lsp.handlers['textDocument/publishDiagnostics']
  vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
    if result.uri == uri then
      table.insert(published, result)
    end
    return default(err, result, ctx, config)
  end
  local client = vim.lsp.start_client({
    name = 'lattice', cmd = { lattice, 'lsp', '--debounce', '50' }, root_dir = folder,
  })
  check(client, 'the client starts')
  vim.lsp.buf_attach_client(buf, client)
  wait('the first diagnostics', function() return #published > 0 end)
  local function errors()
    return vim.diagnostic.get(buf, { severity = vim.diagnostic.severity.ERROR })
  end
  check(#errors() == 0, 'the example has no error')

  -- A typo: delete one `p` of `technical_support` in an `assigns`.
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local row, col
  for i, line in ipairs(lines) do
    local found = line:find('assigns technical_support', 1, true)
    if found then
      row, col = i - 1, found - 1 + #'assigns technical_su'
      break
    end
  end
  check(row, 'the example assigns technical_support')
  local before = #published
  vim.api.nvim_buf_set_text(buf, row, col, row, col + 1, { '' })
  wait('the typo\'s error', function() return #errors() > 0 end)
  check(errors()[1].message:find('technical_suport', 1, true), 'the error names the typo')
  local raw
  wait('the published diagnostic', function()
    for i = before + 1, #published do
      for _, d in ipairs(published[i].diagnostics) do
        if d.severity == 1 then raw = d end
      end
    end
    return raw ~= nil
  end)

  -- Its "did you mean" code action, applied by Neovim's own workspace-edit code.
  local answers = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', {
    textDocument = { uri = uri }, range = raw.range, context = { diagnostics = { raw } },
  }, 10000)
  local fix
  for _, answer in pairs(answers or {}) do
    for _, action in ipairs(answer.result or {}) do
      if action.title:find('technical_support', 1, true) then fix = action end
    end
  end
  check(fix, 'a quick fix replaces the typo')
  vim.lsp.util.apply_workspace_edit(fix.edit, 'utf-16')
  check(vim.api.nvim_buf_get_lines(buf, row, row + 1, false)[1]:find('assigns technical_support'),
        'the fix restores the name')
  wait('the error to clear', function() return #errors() == 0 end)

  -- Hover the role where it is assigned, then jump to its declaration.
  local position = { line = row, character = col - 2 }
  local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover',
    { textDocument = { uri = uri }, position = position }, 10000)
  local text = ''
  for _, answer in pairs(hover or {}) do
    if answer.result then text = answer.result.contents.value end
  end
  check(text:find('**role** `technical_support`', 1, true), 'hover names the role: ' .. text)
  check(text:find('`self`:', 1, true), 'hover lists the role\'s permissions per relation')
  local definition = vim.lsp.buf_request_sync(buf, 'textDocument/definition',
    { textDocument = { uri = uri }, position = position }, 10000)
  local target
  for _, answer in pairs(definition or {}) do
    target = answer.result
  end
  check(target and target.uri == uri, 'the definition is in the policy')
  check(lines[target.range.start.line + 1]:find('^role technical_support'),
        'the definition is the role\'s declaration')

  -- Formatting: a line indented wrongly comes back to the layout of `lattice fmt`.
  local view
  for i, line in ipairs(lines) do
    if line == '  view "View dashboard";' then view = i - 1 end
  end
  check(view, 'the example has the dashboard\'s view action')
  vim.api.nvim_buf_set_lines(buf, view, view + 1, false, { '        view   "View dashboard" ;' })
  vim.lsp.buf.formatting_sync(nil, 10000)
  check(vim.api.nvim_buf_get_lines(buf, view, view + 1, false)[1] == '  view "View dashboard";',
        'formatting restores the line')

  vim.lsp.stop_client(client)
end

local ok, err = pcall(session)
if not ok then
  io.stderr:write('FAIL: ' .. tostring(err) .. '\n')
  vim.cmd('cquit 1')
end
io.stdout:write('ok: the Neovim session passed\n')
vim.cmd('qall!')
