<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name></name>
    <message>
        <source>请填写原因（会记录在审计日志中）</source>
        <translation>Enter the reason (recorded in the audit log)</translation>
    </message>
    <message>
        <source>备注（可选）</source>
        <translation>Note (optional)</translation>
    </message>
    <message>
        <source>证号相同</source>
        <translation>same ID number</translation>
    </message>
    <message>
        <source>证号只差一位</source>
        <translation>ID numbers one digit apart</translation>
    </message>
    <message>
        <source>同名同日同母</source>
        <translation>same name, birth date and mother</translation>
    </message>
    <message>
        <source>同村同名同日、一方无证号</source>
        <translation>same village, name and birth date; one without ID</translation>
    </message>
    <message>
        <source>姓名音近形近</source>
        <translation>names sound or look alike</translation>
    </message>
    <message>
        <source>疑似双胞胎</source>
        <translation>probably twins</translation>
    </message>
    <message>
        <source>疑似重号</source>
        <translation>probably a duplicated ID number</translation>
    </message>
    <message>
        <source>例如：双胞胎；身份证号录错</source>
        <translation>e.g. twins; ID number mistyped</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>{letter} {name} 的身份证号</source>
        <translation>ID number of {letter} {name}</translation>
    </message>
    <message>
        <source>这些记录是不同的人。如果某条记录的身份证号录错了，请在这里改正。</source>
        <translation>These records are different people. If an ID number was mistyped, correct it here.</translation>
    </message>
    <message>
        <source>请填写原因。</source>
        <translation>Please enter a reason.</translation>
    </message>
    <message>
        <source>改正后的身份证号不正确：{n}</source>
        <translation>The corrected ID number is not valid: {n}</translation>
    </message>
    <message>
        <source>疑似重复</source>
        <translation>Suspected duplicates</translation>
    </message>
    <message>
        <source>几条可能是同一人的记录并排显示，不同的值用颜色标出，旁边写着被标记的原因。选择保留哪一条（★），每个字段点选要保留的值，下方预览合并后的记录。确认是同一人：Ctrl+M 合并；不是同一人（如双胞胎、证号录错）：Ctrl+D，可在那里改正身份证号。</source>
        <translation>The records that may be one person are shown side by side; differing values are highlighted, with the reason they were flagged. Choose the record to keep (★), pick the value to keep for each field, and check the merged record previewed below. Same person: Ctrl+M merges; not the same person (twins, a mistyped ID number): Ctrl+D, where the ID number can be corrected.</translation>
    </message>
    <message>
        <source>不是同一人… Ctrl+D</source>
        <translation>Not the same person… Ctrl+D</translation>
    </message>
    <message>
        <source>合并…</source>
        <translation>Merge…</translation>
    </message>
    <message>
        <source>不是同一人…</source>
        <translation>Not the same person…</translation>
    </message>
    <message>
        <source>按现在的选择还不能合并：请看下方的提示，或选择「放弃修改」。</source>
        <translation>These choices cannot be merged yet: see the hints below, or choose &quot;Discard changes&quot;.</translation>
    </message>
    <message>
        <source>合并（{others} 将注销并入 {keep}）… Ctrl+M</source>
        <translation>Merge ({others} closed into {keep})… Ctrl+M</translation>
    </message>
    <message>
        <source>疑似重复 · {n} 条记录 · {id}</source>
        <translation>Suspected duplicates · {n} records · {id}</translation>
    </message>
    <message>
        <source>标记原因：{r}</source>
        <translation>Flagged because: {r}</translation>
    </message>
    <message>
        <source>（未说明）</source>
        <translation>(not stated)</translation>
    </message>
    <message>
        <source>如确实不是同一人，请选择「不是同一人」。</source>
        <translation>If they really are different people, choose &quot;Not the same person&quot;.</translation>
    </message>
    <message>
        <source>{letter} 个案 {pid}</source>
        <translation>{letter} record {pid}</translation>
    </message>
    <message>
        <source>（保留 ★）</source>
        <translation>(kept ★)</translation>
    </message>
    <message>
        <source>选为保留的记录（其他记录注销并入它）</source>
        <translation>Keep this record (the others are closed and merged into it)</translation>
    </message>
    <message>
        <source>同 {letter}</source>
        <translation>same as {letter}</translation>
    </message>
    <message>
        <source>另有 {n} 项相同，点击展开</source>
        <translation>{n} more identical fields, click to show</translation>
    </message>
    <message>
        <source>收起相同的字段</source>
        <translation>Hide identical fields</translation>
    </message>
    <message>
        <source>不能合并，原因见上方。</source>
        <translation>Cannot be merged: see the reason above.</translation>
    </message>
    <message>
        <source>请改选字段的值后再合并。</source>
        <translation>Choose other values before merging.</translation>
    </message>
    <message>
        <source>确认无误请在下方提醒旁填写原因，或改选字段的值。</source>
        <translation>If it is correct, give a reason next to each warning below, or choose other values.</translation>
    </message>
    <message>
        <source>合并后：{summary}  {state}</source>
        <translation>After merging: {summary}  {state}</translation>
    </message>
    <message>
        <source>将保留 {keep}，并注销以下记录、并入保留的记录：
{closing}

确定合并吗？</source>
        <translation>{keep} is kept; these records are closed and merged into it:
{closing}

Merge?</translation>
    </message>
    <message>
        <source>保存修改 Ctrl+S</source>
        <translation>Save changes Ctrl+S</translation>
    </message>
    <message>
        <source>核实无误…</source>
        <translation>Verified as correct…</translation>
    </message>
    <message>
        <source>无法核实…</source>
        <translation>Cannot verify…</translation>
    </message>
    <message>
        <source>返回列表 Esc</source>
        <translation>Back to list Esc</translation>
    </message>
    <message>
        <source>（无其他成员）</source>
        <translation>(no other members)</translation>
    </message>
    <message>
        <source>同户成员：{members}</source>
        <translation>Household members: {members}</translation>
    </message>
    <message>
        <source>已处理，等待上传。可以继续修改，修改会合并到待上传的内容中。</source>
        <translation>Done, waiting to upload. You can still edit; changes are merged into the pending upload.</translation>
    </message>
    <message>
        <source>已处理，等待上传。可以重新处理，新的处理会替换待上传的内容。</source>
        <translation>Done, waiting to upload. You can handle it again; the new decision replaces the one waiting to upload.</translation>
    </message>
    <message>
        <source>被服务器退回：请按提示改正后重新提交。</source>
        <translation>Sent back by the server: correct it as indicated and submit again.</translation>
    </message>
    <message>
        <source>他人在您处理期间修改了这条记录，需要处理冲突。</source>
        <translation>Someone changed this record while you were working on it: the conflict needs resolving.</translation>
    </message>
    <message>
        <source>这条任务已完成或已不再分配给您，只能查看。</source>
        <translation>This task is finished or no longer assigned to you: view only.</translation>
    </message>
    <message>
        <source>上一条</source>
        <translation>Previous</translation>
    </message>
    <message>
        <source>下一条</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>返回列表</source>
        <translation>Back to the list</translation>
    </message>
    <message>
        <source>规则说明</source>
        <translation>Rule explanation</translation>
    </message>
    <message>
        <source>未保存的修改</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <source>这条记录（{id}）有未保存的修改。离开前要保存吗？</source>
        <translation>This record ({id}) has unsaved changes. Save them before leaving?</translation>
    </message>
    <message>
        <source>{id} 已保存，同步时会上传。</source>
        <translation>{id} saved; it will be uploaded at the next sync.</translation>
    </message>
    <message>
        <source>（无姓名）</source>
        <translation>(no name)</translation>
    </message>
    <message>
        <source>异常数据 · {name} · 问题 {n} 条 · {id}</source>
        <translation>Error record · {name} · {n} problem(s) · {id}</translation>
    </message>
    <message>
        <source>原始值对比：尚未修改</source>
        <translation>Compared with the original: no changes yet</translation>
    </message>
    <message>
        <source>原始值对比：</source>
        <translation>Compared with the original: </translation>
    </message>
    <message>
        <source>没有需要保存的修改。如果记录本来就是对的，请用「核实无误」。</source>
        <translation>Nothing to save. If the record is right as it is, use &quot;Verified as correct&quot;.</translation>
    </message>
    <message>
        <source>还有 {n} 个错误需要改正后才能保存。</source>
        <translation>{n} error(s) must be corrected before saving.</translation>
    </message>
    <message>
        <source>有 {n} 个提醒需要确认：请在提醒旁填写原因，或改正相应字段。</source>
        <translation>{n} warning(s) need confirming: enter a reason next to each, or correct the field.</translation>
    </message>
    <message>
        <source>异常数据</source>
        <translation>Error records</translation>
    </message>
    <message>
        <source>上方列出这条记录的问题：红色 ✖ 是错误，必须改正；黄色 ▲ 是提醒，确认无误时在旁边填写原因。点「跳到字段」或按 F1 查看规则说明。
改正后按 Ctrl+S 保存，自动打开下一条。记录本来就对：Ctrl+K 核实无误；联系不上本人或不在本辖区：Ctrl+U 无法核实。</source>
        <translation>The record&apos;s problems are listed at the top: a red ✖ is an error and must be corrected; an amber ▲ is a warning: if the record is right, type the reason beside it. Click &quot;Go to field&quot;, or press F1 for what a rule means.
Correct and press Ctrl+S to save; the next case opens. The record is right as it is: Ctrl+K Verified correct; the person cannot be reached or does not live here: Ctrl+U Cannot verify.</translation>
    </message>
    <message>
        <source>保存修改</source>
        <translation>Save changes</translation>
    </message>
    <message>
        <source>这条记录有错误（红色），不能核实无误。请改正后保存，或选择「无法核实」。</source>
        <translation>This record has errors (red) and cannot be confirmed as correct. Correct and save, or choose &quot;Cannot verify&quot;.</translation>
    </message>
    <message>
        <source>核实无误</source>
        <translation>Verified as correct</translation>
    </message>
    <message>
        <source>记录与原始资料一致、无需修改。请说明核实的依据（如：已核对户口簿原件）。这个原因也用于说明所有提醒。</source>
        <translation>The record matches the source documents and needs no change. State how you verified it (e.g. checked the original household register). This reason also explains every warning.</translation>
    </message>
    <message>
        <source>无法核实</source>
        <translation>Cannot verify</translation>
    </message>
    <message>
        <source>请选择原因：</source>
        <translation>Choose the reason:</translation>
    </message>
    <message>
        <source>无法核实（联系不上本人、无原始资料）</source>
        <translation>Cannot verify (person unreachable, no source documents)</translation>
    </message>
    <message>
        <source>非本辖区（此人不在本乡镇/街道）</source>
        <translation>Not in my jurisdiction (person not in this township)</translation>
    </message>
    <message>
        <source>未发现问题</source>
        <translation>No problems found</translation>
    </message>
    <message>
        <source>本条记录的问题：错误 {e} 条，提醒 {w} 条</source>
        <translation>Problems of this record: {e} error(s), {w} warning(s)</translation>
    </message>
    <message>
        <source>这条规则是什么意思（F1）</source>
        <translation>What this rule means (F1)</translation>
    </message>
    <message>
        <source>跳到字段</source>
        <translation>Go to field</translation>
    </message>
    <message>
        <source>确认无误请填写原因</source>
        <translation>Reason, if it is correct</translation>
    </message>
    <message>
        <source>屏幕已锁定</source>
        <translation>Screen locked</translation>
    </message>
    <message>
        <source>长时间未操作，为保护个人信息已锁定。请输入用户 {user} 的密码解锁。</source>
        <translation>Locked after a period of inactivity to protect personal data. Enter the password of {user} to unlock.</translation>
    </message>
    <message>
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>密码不正确。</source>
        <translation>Wrong password.</translation>
    </message>
    <message>
        <source>（再错 {n} 次将退出登录，需联网重新登录）</source>
        <translation> ({n} more wrong attempts sign you out; an online login is then needed)</translation>
    </message>
    <message>
        <source>已在线登录。</source>
        <translation>Logged in online.</translation>
    </message>
    <message>
        <source>已离线登录：服务器暂时无法连接（请检查VPN是否已连接）。您可以照常处理任务，修改保存在本机，连接恢复后自动上传。</source>
        <translation>Logged in offline: the server cannot be reached right now (check the VPN). You can work as usual; changes are saved on this computer and uploaded when the connection is back.</translation>
    </message>
    <message>
        <source>登录 — 核查工作台</source>
        <translation>Log in — Hecha Workbench</translation>
    </message>
    <message>
        <source>可选：单位的证书文件（.pem）</source>
        <translation>Optional: your organisation&apos;s certificate file (.pem)</translation>
    </message>
    <message>
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>我的</source>
        <translation>Mine</translation>
    </message>
    <message>
        <source>服务器</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>编辑</source>
        <translation>Edit</translation>
    </message>
    <message>
        <source>在新版本上重新提交我的处理</source>
        <translation>Resubmit my decision on the new version</translation>
    </message>
    <message>
        <source>放弃我的处理</source>
        <translation>Drop my decision</translation>
    </message>
    <message>
        <source>下面的字段您和服务器都修改过。请为每个字段选择保留哪一个值；两边相同的字段无需选择。</source>
        <translation>You and the server both changed these fields. Choose the value to keep for each; fields with the same value need no choice.</translation>
    </message>
    <message>
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>原值</source>
        <translation>Original</translation>
    </message>
    <message>
        <source>母亲的记录</source>
        <translation>Mother&apos;s record</translation>
    </message>
    <message>
        <source>父亲的记录</source>
        <translation>Father&apos;s record</translation>
    </message>
    <message>
        <source>可入的户</source>
        <translation>Households to join</translation>
    </message>
    <message>
        <source>可能已登记的人员</source>
        <translation>Possibly registered persons</translation>
    </message>
    <message>
        <source>这组记录的成员</source>
        <translation>Members of this group</translation>
    </message>
    <message>
        <source>办公室修改</source>
        <translation>Office edit</translation>
    </message>
    <message>
        <source>收回</source>
        <translation>Withdrawn</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Deleted</translation>
    </message>
    <message>
        <source>（已变化）</source>
        <translation>(changed)</translation>
    </message>
    <message>
        <source>{id}：已上传。服务器上的记录在您处理期间被他人修改过，已与您的处理合并。</source>
        <translation>{id}: uploaded. Someone changed the record while you were working on it; it was merged with your decision.</translation>
    </message>
    <message>
        <source>{id}：已上传。他人在您处理期间修改了 {fields}，服务器保留了这些修改，并与您的处理合并。</source>
        <translation>{id}: uploaded. While you were working on it someone changed {fields}; the server kept those changes and merged them with your decision.</translation>
    </message>
    <message>
        <source>版本</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>修改人</source>
        <translation>Changed by</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>修改的内容</source>
        <translation>What changed</translation>
    </message>
    <message>
        <source>您的处理上传时，服务器上的记录已被他人修改。修改的字段：为每个字段选择「我的」「服务器」或自己编辑，按 Ctrl+S 提交。其他处理：看清他人改了什么，再选择在新版本上重新提交您的处理，或放弃它。「稍后处理」返回列表。</source>
        <translation>When your decision was uploaded, someone else had already changed the record on the server. For edited fields: choose &quot;Mine&quot;, &quot;Server&quot; or type a value for each field, then press Ctrl+S. For other decisions: look at what was changed, then resubmit your decision on the new version, or drop it. &quot;Later&quot; returns to the list.</translation>
    </message>
    <message>
        <source>提交解决结果 Ctrl+S</source>
        <translation>Submit resolution Ctrl+S</translation>
    </message>
    <message>
        <source>稍后处理 Esc</source>
        <translation>Later Esc</translation>
    </message>
    <message>
        <source>服务器上的修改记录：</source>
        <translation>Changes on the server:</translation>
    </message>
    <message>
        <source>提交解决结果</source>
        <translation>Submit the resolution</translation>
    </message>
    <message>
        <source>冲突 · {name} · 他人在您处理期间修改了这条记录</source>
        <translation>Conflict · {name} · someone changed this record while you were working on it</translation>
    </message>
    <message>
        <source>您对这条任务的处理（{action}）提交时，服务器上的记录已被他人修改。请看下面改了什么，再决定在新版本上重新提交您的处理，还是放弃它。</source>
        <translation>When your decision ({action}) reached the server, someone had changed the record. See what changed below, then resend your decision on the new version or drop it.</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>您的修改</source>
        <translation>Your change</translation>
    </message>
    <message>
        <source>采用</source>
        <translation>Keep</translation>
    </message>
    <message>
        <source>相同，无需选择</source>
        <translation>Same, nothing to choose</translation>
    </message>
    <message>
        <source>{id} 的冲突处理结果已保存，同步时会上传。</source>
        <translation>The resolution of {id} is saved; it will be uploaded at the next sync.</translation>
    </message>
    <message>
        <source>可选：个人数字证书（.p12/.pfx）</source>
        <translation>Optional: personal certificate (.p12/.pfx)</translation>
    </message>
    <message>
        <source>证书口令</source>
        <translation>Certificate passphrase</translation>
    </message>
    <message>
        <source>上次在本机登录时用的密码</source>
        <translation>The password last used on this computer</translation>
    </message>
    <message>
        <source>证书</source>
        <translation>Certificate</translation>
    </message>
    <message>
        <source>个人证书</source>
        <translation>Personal certificate</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>旧密码</source>
        <translation>Old password</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>全员人口数据核查 — 核查工作台</source>
        <translation>Population Data Verification — Hecha Workbench</translation>
    </message>
    <message>
        <source>选择证书文件</source>
        <translation>Choose certificate file</translation>
    </message>
    <message>
        <source>证书 (*.pem *.crt);;所有文件 (*)</source>
        <translation>Certificates (*.pem *.crt);;All files (*)</translation>
    </message>
    <message>
        <source>选择个人数字证书</source>
        <translation>Choose a personal certificate</translation>
    </message>
    <message>
        <source>数字证书 (*.p12 *.pfx);;所有文件 (*)</source>
        <translation>Certificates (*.p12 *.pfx);;All files (*)</translation>
    </message>
    <message>
        <source>请输入用户名和密码。</source>
        <translation>Please enter username and password.</translation>
    </message>
    <message>
        <source>正在登录…</source>
        <translation>Logging in…</translation>
    </message>
    <message>
        <source>管理员为您设置了初始密码（新账号或密码已重置）：请设置您自己的新密码，然后继续登录。</source>
        <translation>This password was set by an administrator (a new account or a reset): set your own new password, then the login continues.</translation>
    </message>
    <message>
        <source>辖区进度</source>
        <translation>Progress of the jurisdiction</translation>
    </message>
    <message>
        <source>培训模式 · 账号 {user}</source>
        <translation>Training mode · account {user}</translation>
    </message>
    <message>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>导出当前列表到Excel…</source>
        <translation>Export current list to Excel…</translation>
    </message>
    <message>
        <source>按表号查找…</source>
        <translation>Find by form number…</translation>
    </message>
    <message>
        <source>打印入户核查表…</source>
        <translation>Print door-to-door forms…</translation>
    </message>
    <message>
        <source>导出核查工作进度表…</source>
        <translation>Export the progress workbook…</translation>
    </message>
    <message>
        <source>修改密码…</source>
        <translation>Change password…</translation>
    </message>
    <message>
        <source>本机操作记录…</source>
        <translation>Activity on this PC…</translation>
    </message>
    <message>
        <source>退出登录</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <source>视图(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>大字体模式</source>
        <translation>Large font mode</translation>
    </message>
    <message>
        <source>语言 / Language</source>
        <translation>Language / 语言</translation>
    </message>
    <message>
        <source>锁定屏幕</source>
        <translation>Lock screen</translation>
    </message>
    <message>
        <source>同步(&amp;S)</source>
        <translation>&amp;Sync</translation>
    </message>
    <message>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>待上传的修改…</source>
        <translation>Pending changes…</translation>
    </message>
    <message>
        <source>处理(&amp;C)</source>
        <translation>&amp;Case</translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>关于</source>
        <translation>About</translation>
    </message>
    <message>
        <source>这类任务（{id}）的处理界面尚未提供。</source>
        <translation>The screen for this kind of case ({id}) is not available yet.</translation>
    </message>
    <message>
        <source>重新登录</source>
        <translation>Log in again</translation>
    </message>
    <message>
        <source>请输入用户 {user} 的密码：</source>
        <translation>Password of {user}:</translation>
    </message>
    <message>
        <source>语言设置将在下次启动时生效。</source>
        <translation>The language setting takes effect at the next start.</translation>
    </message>
    <message>
        <source>核查工作台 {version}
全员人口数据核查的离线工作台。</source>
        <translation>Hecha Workbench {version}
Offline workbench for population data verification.</translation>
    </message>
    <message>
        <source>管理员为您设置了初始密码（新账号或密码已重置）：请设置您自己的新密码。</source>
        <translation>This password was set by an administrator (a new account or a reset): please set your own new password.</translation>
    </message>
    <message>
        <source>（请先打开一条任务）</source>
        <translation>(open a case first)</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>任务</source>
        <translation>Case</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>尝试次数</source>
        <translation>Attempts</translation>
    </message>
    <message>
        <source>保存时间</source>
        <translation>Saved at</translation>
    </message>
    <message>
        <source>最后错误</source>
        <translation>Last error</translation>
    </message>
    <message>
        <source>待上传</source>
        <translation>Waiting to upload</translation>
    </message>
    <message>
        <source>上传中（等待确认）</source>
        <translation>Uploading (awaiting confirmation)</translation>
    </message>
    <message>
        <source>等待前一条</source>
        <translation>Waiting for the previous change</translation>
    </message>
    <message>
        <source>冲突</source>
        <translation>Conflict</translation>
    </message>
    <message>
        <source>被退回</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>已撤回</source>
        <translation>Withdrawn</translation>
    </message>
    <message>
        <source>已上传</source>
        <translation>Uploaded</translation>
    </message>
    <message>
        <source>已被替代</source>
        <translation>Replaced</translation>
    </message>
    <message>
        <source>修改</source>
        <translation>Correction</translation>
    </message>
    <message>
        <source>确认入户</source>
        <translation>Confirm registration</translation>
    </message>
    <message>
        <source>退回出生</source>
        <translation>Reject birth</translation>
    </message>
    <message>
        <source>合并</source>
        <translation>Merge</translation>
    </message>
    <message>
        <source>不是同一人</source>
        <translation>Not the same person</translation>
    </message>
    <message>
        <source>立即重试</source>
        <translation>Retry now</translation>
    </message>
    <message>
        <source>导出失败/撤回项</source>
        <translation>Export failed/withdrawn items</translation>
    </message>
    <message>
        <source>放弃本机修改…</source>
        <translation>Discard local changes…</translation>
    </message>
    <message>
        <source>左边选择要处理的清单（异常数据、出生反推、疑似重复，或按状态），右边是其中的任务。在搜索框输入姓名、拼音首字母或身份证号查找（Ctrl+F），方向键选择，回车打开。处理完一条会自动打开下一条；Esc 回到清单中刚才那一条。</source>
        <translation>Choose a list on the left (error records, newborns, suspected duplicates, or by state); its cases are on the right. Search by name, pinyin initials or ID number (Ctrl+F), select with the arrow keys, open with Enter. After a case is done the next one opens; Esc returns to the list at the case you were on.</translation>
    </message>
    <message>
        <source>这里列出已保存在本机、还没有上传到服务器的修改，以及上传后被退回、冲突或已撤回的修改。「立即重试」马上同步；双击一条打开它的任务；Esc 返回清单。</source>
        <translation>Changes saved on this PC and not yet uploaded, and uploaded changes that were rejected, conflicted or withdrawn. &quot;Retry now&quot; syncs at once; double-click a row to open its case; Esc returns to the list.</translation>
    </message>
    <message>
        <source>错误：必须改正后才能保存。</source>
        <translation>Error: must be corrected before the record can be saved.</translation>
    </message>
    <message>
        <source>提醒：可能有问题。确认记录无误时，在提醒旁填写原因（会记录在审计日志中）；否则改正相应字段。</source>
        <translation>Warning: possibly wrong. If the record is right, type the reason beside the warning (it is kept in the audit log); otherwise correct the field.</translation>
    </message>
    <message>
        <source>提示：仅供参考，不影响保存。</source>
        <translation>Information only; it does not prevent saving.</translation>
    </message>
    <message>
        <source>待上传的修改</source>
        <translation>Pending changes</translation>
    </message>
    <message>
        <source>本页说明</source>
        <translation>About this screen</translation>
    </message>
    <message>
        <source>查找（清单）</source>
        <translation>Search (list)</translation>
    </message>
    <message>
        <source>说明本条记录的问题（在处理页面）</source>
        <translation>Explain the record&apos;s problems (on a case screen)</translation>
    </message>
    <message>
        <source>全局</source>
        <translation>Everywhere</translation>
    </message>
    <message>
        <source>快捷键</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>这一项由服务器检查（{code}）：请按提示核对。</source>
        <translation>This is checked by the server ({code}): please check as the message says.</translation>
    </message>
    <message>
        <source>涉及的字段：{fields}</source>
        <translation>Fields concerned: {fields}</translation>
    </message>
    <message>
        <source>这条记录没有发现问题。</source>
        <translation>No problems found in this record.</translation>
    </message>
    <message>
        <source>共 {n} 条，其中需要处理 {f} 条</source>
        <translation>{n} in total, {f} need attention</translation>
    </message>
    <message>
        <source>Excel 文件 (*.xlsx)</source>
        <translation>Excel files (*.xlsx)</translation>
    </message>
    <message>
        <source>保存位置：</source>
        <translation>Save in:</translation>
    </message>
    <message>
        <source>文件名：</source>
        <translation>File name:</translation>
    </message>
    <message>
        <source>文件类型：</source>
        <translation>File type:</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>修改内容</source>
        <translation>Changes</translation>
    </message>
    <message>
        <source>未上传的修改</source>
        <translation>Unsent changes</translation>
    </message>
    <message>
        <source>已导出 {n} 条。</source>
        <translation>Exported {n} row(s).</translation>
    </message>
    <message>
        <source>请先在列表中选择一条。</source>
        <translation>Select an item in the list first.</translation>
    </message>
    <message>
        <source>放弃本机修改</source>
        <translation>Discard local changes</translation>
    </message>
    <message>
        <source>确定放弃任务 {id} 在本机的全部未上传修改吗？放弃后无法恢复。</source>
        <translation>Discard all unsent changes of case {id} on this computer? This cannot be undone.</translation>
    </message>
    <message>
        <source>放弃修改</source>
        <translation>Discard</translation>
    </message>
    <message>
        <source>保留</source>
        <translation>Keep</translation>
    </message>
    <message>
        <source>基本信息</source>
        <translation>Basic information</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>曾用名</source>
        <translation>Former name</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>出生日期</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>民族</source>
        <translation>Ethnicity</translation>
    </message>
    <message>
        <source>入户</source>
        <translation>Household</translation>
    </message>
    <message>
        <source>详址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>与户主关系</source>
        <translation>Relation to householder</translation>
    </message>
    <message>
        <source>确认入户 Ctrl+S</source>
        <translation>Confirm and register Ctrl+S</translation>
    </message>
    <message>
        <source>退回…</source>
        <translation>Reject…</translation>
    </message>
    <message>
        <source>新立户：请选择与户主的关系</source>
        <translation>New household: choose the relation to the householder</translation>
    </message>
    <message>
        <source>不在本辖区（不在本乡镇/街道居住或落户）</source>
        <translation>Not local (does not live or register in this township)</translation>
    </message>
    <message>
        <source>已登记（这个孩子已有户籍记录）</source>
        <translation>Already registered (the child already has a record)</translation>
    </message>
    <message>
        <source>信息有误（出生医学证明的信息不对）</source>
        <translation>Wrong data (the birth certificate is incorrect)</translation>
    </message>
    <message>
        <source>证明编号</source>
        <translation>Certificate no.</translation>
    </message>
    <message>
        <source>新生儿</source>
        <translation>Newborn</translation>
    </message>
    <message>
        <source>出生时间</source>
        <translation>Born</translation>
    </message>
    <message>
        <source>出生地点</source>
        <translation>Birthplace</translation>
    </message>
    <message>
        <source>体重 · 身长 · 孕周</source>
        <translation>Weight · length · gestation</translation>
    </message>
    <message>
        <source>母亲</source>
        <translation>Mother</translation>
    </message>
    <message>
        <source>父亲</source>
        <translation>Father</translation>
    </message>
    <message>
        <source>助产机构</source>
        <translation>Hospital</translation>
    </message>
    <message>
        <source>签发</source>
        <translation>Issued</translation>
    </message>
    <message>
        <source>由{who}关系「{rel}」推出</source>
        <translation>derived from the {who}&apos;s relation &quot;{rel}&quot;</translation>
    </message>
    <message>
        <source>{who}关系「{rel}」推不出，请选择</source>
        <translation>cannot be derived from the {who}&apos;s relation &quot;{rel}&quot;: please choose</translation>
    </message>
    <message>
        <source>父母都不在这一户，请选择与户主的关系</source>
        <translation>Neither parent is in this household: choose the relation to the householder</translation>
    </message>
    <message>
        <source>请选择退回的原因：</source>
        <translation>Choose why the birth is sent back:</translation>
    </message>
    <message>
        <source>{name} · {sex} · {birth} · {pid}</source>
        <translation>{name} · {sex} · {birth} · {pid}</translation>
    </message>
    <message>
        <source>已登记的人员：</source>
        <translation>Registered person:</translation>
    </message>
    <message>
        <source>备注（必填）：请说明哪里有误</source>
        <translation>Note (required): say what is wrong</translation>
    </message>
    <message>
        <source>没有可选的已登记人员：请选择其他原因，或在备注中说明。</source>
        <translation>No registered person to choose: pick another reason or explain in the note.</translation>
    </message>
    <message>
        <source>请在备注中说明哪里有误。</source>
        <translation>Please say in the note what is wrong.</translation>
    </message>
    <message>
        <source>出生医学证明上的信息（只读）</source>
        <translation>Birth certificate (read-only)</translation>
    </message>
    <message>
        <source>详细地址，如：3组12号</source>
        <translation>Address, e.g. group 3 no. 12</translation>
    </message>
    <message>
        <source>未取名（可以暂不取名）</source>
        <translation>Not named yet (a name can come later)</translation>
    </message>
    <message>
        <source>出生反推 · 出生医学证明 {cert} · {id}</source>
        <translation>Newborn · birth certificate {cert} · {id}</translation>
    </message>
    <message>
        <source>（无编号）</source>
        <translation>(no number)</translation>
    </message>
    <message>
        <source>（证明上未填写）</source>
        <translation>(not on the certificate)</translation>
    </message>
    <message>
        <source>✖ 未匹配到本辖区的人员</source>
        <translation>✖ no matching person in this area</translation>
    </message>
    <message>
        <source>✔ 已匹配</source>
        <translation>✔ matched</translation>
    </message>
    <message>
        <source>≈ 证号不同，请核对</source>
        <translation>≈ different ID number: please check</translation>
    </message>
    <message>
        <source>≈ 按姓名匹配</source>
        <translation>≈ matched by name</translation>
    </message>
    <message>
        <source>· 由户籍资料关联</source>
        <translation>· linked from the household records</translation>
    </message>
    <message>
        <source>（{head}户 · {n}人 · {rel}）</source>
        <translation>(household of {head} · {n} persons · {rel})</translation>
    </message>
    <message>
        <source>{w} 克 · {l} 厘米 · {g} 周</source>
        <translation>{w} g · {l} cm · {g} weeks</translation>
    </message>
    <message>
        <source>父母所在户</source>
        <translation>Parents&apos; household</translation>
    </message>
    <message>
        <source>母亲所在户</source>
        <translation>Mother&apos;s household</translation>
    </message>
    <message>
        <source>父亲所在户</source>
        <translation>Father&apos;s household</translation>
    </message>
    <message>
        <source>户</source>
        <translation>Household</translation>
    </message>
    <message>
        <source>{which} {head}户（{n}人）· {place}</source>
        <translation>{which}: household of {head} ({n} persons) · {place}</translation>
    </message>
    <message>
        <source>出生反推</source>
        <translation>Births</translation>
    </message>
    <message>
        <source>左边是出生医学证明上的信息（只读），右边是要登记的新生儿。先选择入哪一户（默认母亲所在户），与户主关系会自动推出；核对姓名等信息后按 Ctrl+S 确认入户。不在本辖区、已登记或证明信息有误：Ctrl+R 退回。同一母亲同日出生的孩子会提示，是双胞胎时点「是，双胞胎」。</source>
        <translation>The birth certificate is on the left (read-only), the newborn to register on the right. First choose the household (the mother&apos;s by default); the relation to the head follows from it. Check the name and the other values, then press Ctrl+S to register. Not local, already registered or wrong certificate data: Ctrl+R sends it back. A child of the same mother born the same day is pointed out: click &quot;Yes, twins&quot; if so.</translation>
    </message>
    <message>
        <source>⚠ 可能已登记：{name} · {sex} · {birth} · 母亲 {mother}（{pid}）。同一母亲同日出生 — 是双胞胎吗？</source>
        <translation>⚠ Possibly registered already: {name} · {sex} · {birth} · mother {mother} ({pid}). Same mother, same birth date: twins?</translation>
    </message>
    <message>
        <source>是，双胞胎</source>
        <translation>Yes, twins</translation>
    </message>
    <message>
        <source>已登记，关联</source>
        <translation>Already registered: link</translation>
    </message>
    <message>
        <source>（本机刚确认入户的 {case}，尚未上传）</source>
        <translation>(confirmed on this PC in {case}, not uploaded yet)</translation>
    </message>
    <message>
        <source>户成员：</source>
        <translation>Members: </translation>
    </message>
    <message>
        <source>；已改为「{rel}」</source>
        <translation>; changed to &quot;{rel}&quot;</translation>
    </message>
    <message>
        <source>与户主关系：</source>
        <translation>Relation to householder: </translation>
    </message>
    <message>
        <source>请选择新立户的户籍地（到村/居委会）。</source>
        <translation>Choose the new household&apos;s place (down to the village).</translation>
    </message>
    <message>
        <source>新立户的户籍地不在您的辖区。</source>
        <translation>The new household&apos;s place is outside your area.</translation>
    </message>
    <message>
        <source>请填写新立户的详细地址。</source>
        <translation>Please enter the new household&apos;s address.</translation>
    </message>
    <message>
        <source>这个孩子可能已经登记过：如果是双胞胎，请点「是，双胞胎」；如果已登记，请点「已登记，关联」退回。</source>
        <translation>This child may be registered already: if twins, click &quot;Yes, twins&quot;; if already registered, click &quot;Already registered: link&quot; to send it back.</translation>
    </message>
    <message>
        <source>请选择新生儿与户主的关系。</source>
        <translation>Choose the newborn&apos;s relation to the householder.</translation>
    </message>
    <message>
        <source>新立户</source>
        <translation>New household</translation>
    </message>
    <message>
        <source>还有 {n} 个错误需要改正后才能入户。</source>
        <translation>{n} error(s) must be corrected before registering.</translation>
    </message>
    <message>
        <source>退回出生信息</source>
        <translation>Reject birth</translation>
    </message>
    <message>
        <source>证件</source>
        <translation>Identity document</translation>
    </message>
    <message>
        <source>证件类型</source>
        <translation>Document type</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>无证号原因</source>
        <translation>Reason for no ID number</translation>
    </message>
    <message>
        <source>出生医学证明</source>
        <translation>Birth certificate</translation>
    </message>
    <message>
        <source>户籍与居住</source>
        <translation>Registration and residence</translation>
    </message>
    <message>
        <source>户口性质</source>
        <translation>Hukou type</translation>
    </message>
    <message>
        <source>户籍地</source>
        <translation>Hukou place</translation>
    </message>
    <message>
        <source>户籍详址</source>
        <translation>Hukou address</translation>
    </message>
    <message>
        <source>现居住地</source>
        <translation>Residence</translation>
    </message>
    <message>
        <source>居住详址</source>
        <translation>Residence address</translation>
    </message>
    <message>
        <source>婚姻与文化</source>
        <translation>Marriage and education</translation>
    </message>
    <message>
        <source>婚姻状况</source>
        <translation>Marital status</translation>
    </message>
    <message>
        <source>初婚日期</source>
        <translation>First marriage</translation>
    </message>
    <message>
        <source>婚姻变动日期</source>
        <translation>Marital change</translation>
    </message>
    <message>
        <source>文化程度</source>
        <translation>Education</translation>
    </message>
    <message>
        <source>死亡日期</source>
        <translation>Date of death</translation>
    </message>
    <message>
        <source>亲属</source>
        <translation>Relatives</translation>
    </message>
    <message>
        <source>配偶姓名</source>
        <translation>Spouse name</translation>
    </message>
    <message>
        <source>配偶证号</source>
        <translation>Spouse ID number</translation>
    </message>
    <message>
        <source>父亲姓名</source>
        <translation>Father name</translation>
    </message>
    <message>
        <source>父亲证号</source>
        <translation>Father ID number</translation>
    </message>
    <message>
        <source>母亲姓名</source>
        <translation>Mother name</translation>
    </message>
    <message>
        <source>母亲证号</source>
        <translation>Mother ID number</translation>
    </message>
    <message>
        <source>人员编号</source>
        <translation>Person ID</translation>
    </message>
    <message>
        <source>户号</source>
        <translation>Household number</translation>
    </message>
    <message>
        <source>国籍</source>
        <translation>Nationality</translation>
    </message>
    <message>
        <source>管理地</source>
        <translation>Managing place</translation>
    </message>
    <message>
        <source>文化程度代码表</source>
        <translation>Education code table</translation>
    </message>
    <message>
        <source>人员状态</source>
        <translation>Person status</translation>
    </message>
    <message>
        <source>注销原因</source>
        <translation>Reason for closing</translation>
    </message>
    <message>
        <source>数据来源</source>
        <translation>Data source</translation>
    </message>
    <message>
        <source>登记单位</source>
        <translation>Registering unit</translation>
    </message>
    <message>
        <source>操作人</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>登记时间</source>
        <translation>Registered at</translation>
    </message>
    <message>
        <source>更新时间</source>
        <translation>Updated at</translation>
    </message>
    <message>
        <source>原值：{value}</source>
        <translation>Original: {value}</translation>
    </message>
    <message>
        <source>（空）</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <source>按证号改正</source>
        <translation>Fix from ID number</translation>
    </message>
    <message>
        <source>改为身份证号码中的值</source>
        <translation>Use the value in the ID number</translation>
    </message>
    <message>
        <source>正在上传</source>
        <translation>Uploading</translation>
    </message>
    <message>
        <source>正在下载</source>
        <translation>Downloading</translation>
    </message>
    <message>
        <source>正在下载全部任务</source>
        <translation>Downloading all cases</translation>
    </message>
    <message>
        <source>正在校验修复</source>
        <translation>Checking and repairing</translation>
    </message>
    <message>
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>从未同步</source>
        <translation>never</translation>
    </message>
    <message>
        <source>重新登录…</source>
        <translation>Log in again…</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>在线</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>离线</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>未连接</source>
        <translation>Not connected</translation>
    </message>
    <message>
        <source>上次同步 {time}（服务器时间）</source>
        <translation>Last sync {time} (server time)</translation>
    </message>
    <message>
        <source>待上传 {n}</source>
        <translation>Pending {n}</translation>
    </message>
    <message>
        <source>冲突 {n}</source>
        <translation>Conflicts {n}</translation>
    </message>
    <message>
        <source>正在同步…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <source>上传 %v/%m</source>
        <translation>Upload %v/%m</translation>
    </message>
    <message>
        <source>正在同步</source>
        <translation>Syncing</translation>
    </message>
    <message>
        <source>，已下载 {n} 条</source>
        <translation>, {n} downloaded</translation>
    </message>
    <message>
        <source>{n} 条冲突需要处理</source>
        <translation>{n} conflict(s) to resolve</translation>
    </message>
    <message>
        <source>{n} 条被退回</source>
        <translation>{n} returned</translation>
    </message>
    <message>
        <source>{n} 条已被收回</source>
        <translation>{n} withdrawn</translation>
    </message>
    <message>
        <source>同步完成：上传 {up} 条，下载 {down} 条</source>
        <translation>Sync complete: {up} uploaded, {down} downloaded</translation>
    </message>
    <message>
        <source>行政区划</source>
        <translation>Divisions</translation>
    </message>
    <message>
        <source>输入名称搜索，如“城关”或“乾县 城关”</source>
        <translation>Type a name, e.g. &quot;城关&quot; or &quot;乾县 城关&quot;</translation>
    </message>
    <message>
        <source>点击选择或搜索</source>
        <translation>Click to choose or search</translation>
    </message>
    <message>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>{code}（代码表中没有）</source>
        <translation>{code} (not in the code table)</translation>
    </message>
    <message>
        <source>18位身份证号码</source>
        <translation>18-character ID number</translation>
    </message>
    <message>
        <source>校验通过</source>
        <translation>Valid</translation>
    </message>
    <message>
        <source>未填写</source>
        <translation>empty</translation>
    </message>
    <message>
        <source>被显示成科学计数法，后几位已丢失</source>
        <translation>shown in scientific notation, last digits lost</translation>
    </message>
    <message>
        <source>格式不对</source>
        <translation>wrong format</translation>
    </message>
    <message>
        <source>校验位不对</source>
        <translation>wrong check character</translation>
    </message>
    <message>
        <source>出生日期不存在</source>
        <translation>birth date does not exist</translation>
    </message>
    <message>
        <source>省份代码不对</source>
        <translation>unknown province code</translation>
    </message>
    <message>
        <source>占位号码，不是真实号码</source>
        <translation>a placeholder, not a real number</translation>
    </message>
    <message>
        <source>与{fields}不一致</source>
        <translation>disagrees with {fields}</translation>
    </message>
    <message>
        <source>已输入 {n}/18 位</source>
        <translation>{n}/18 characters</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>Case</translation>
    </message>
    <message>
        <source>村(居)</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>期限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>待处理</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>已处理待上传</source>
        <translation>Done, to upload</translation>
    </message>
    <message>
        <source>已完成</source>
        <translation>Completed</translation>
    </message>
    <message>
        <source>不再分配</source>
        <translation>No longer assigned</translation>
    </message>
    <message>
        <source>男</source>
        <translation>M</translation>
    </message>
    <message>
        <source>女</source>
        <translation>F</translation>
    </message>
    <message>
        <source>出生医学证明 {cert_number} · 母亲 {mother_name}</source>
        <translation>Birth certificate {cert_number} · mother {mother_name}</translation>
    </message>
    <message>
        <source>{count} 条记录</source>
        <translation>{count} records</translation>
    </message>
    <message>
        <source>（另有 {n} 个问题）</source>
        <translation> (+{n} more)</translation>
    </message>
    <message>
        <source>剩 {n} 天</source>
        <translation>{n} days left</translation>
    </message>
    <message>
        <source>今天到期</source>
        <translation>Due today</translation>
    </message>
    <message>
        <source>逾期 {n} 天</source>
        <translation>{n} days overdue</translation>
    </message>
    <message>
        <source>办理期限：{date}</source>
        <translation>Deadline: {date}</translation>
    </message>
    <message>
        <source>未取名</source>
        <translation>(unnamed)</translation>
    </message>
    <message>
        <source>任务清单</source>
        <translation>Cases</translation>
    </message>
    <message>
        <source>搜索：姓名 / 身份证号 / 拼音首字母 / 村</source>
        <translation>Search: name / ID number / pinyin initials / village</translation>
    </message>
    <message>
        <source>第 &amp;P 页，共 &amp;N 页</source>
        <translation>Page &amp;P of &amp;N</translation>
    </message>
    <message>
        <source>全部村(居)</source>
        <translation>All villages</translation>
    </message>
    <message>
        <source>导出Excel</source>
        <translation>Export to Excel</translation>
    </message>
    <message>
        <source>搜索</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>村</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>没有找到符合条件的任务。请换个关键词，或清空搜索框。</source>
        <translation>No matching cases. Try another word, or clear the search box.</translation>
    </message>
    <message>
        <source>暂无待办。点击「立即同步」获取新任务。</source>
        <translation>Nothing to do. Click &quot;Sync now&quot; to fetch new cases.</translation>
    </message>
    <message>
        <source>共 {n} 条 · 已选 {s}</source>
        <translation>{n} in total · {s} selected</translation>
    </message>
    <message>
        <source>搜索“{text}”</source>
        <translation>search &quot;{text}&quot;</translation>
    </message>
    <message>
        <source>村(居)：{village}</source>
        <translation>village: {village}</translation>
    </message>
    <message>
        <source>降序</source>
        <translation> descending</translation>
    </message>
    <message>
        <source>升序</source>
        <translation> ascending</translation>
    </message>
    <message>
        <source>按{column}{order}排列</source>
        <translation>sorted by {column}{order}</translation>
    </message>
    <message>
        <source>无（本列表的全部任务）</source>
        <translation>none (every case of this list)</translation>
    </message>
    <message>
        <source>列表：{list}&#x3000;筛选：{what}&#x3000;{sort}</source>
        <translation>List: {list}   Filter: {what}   {sort}</translation>
    </message>
    <message>
        <source>导出日期 {date}</source>
        <translation>exported {date}</translation>
    </message>
    <message>
        <source>账号</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>操作编号</source>
        <translation>Operation ID</translation>
    </message>
    <message>
        <source>新值</source>
        <translation>New value</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>本机操作记录</source>
        <translation>Activity on this PC</translation>
    </message>
    <message>
        <source>本机上以您的账号所做的全部操作（含导出），最新的在前。</source>
        <translation>Everything done with your account on this PC (including exports), newest first.</translation>
    </message>
    <message>
        <source>导出到Excel…</source>
        <translation>Export to Excel…</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>导出本机操作记录</source>
        <translation>Export activity on this PC</translation>
    </message>
    <message>
        <source>本机操作记录.xlsx</source>
        <translation>activity.xlsx</translation>
    </message>
    <message>
        <source>已导出 {n} 条到 {path}</source>
        <translation>Exported {n} row(s) to {path}</translation>
    </message>
    <message>
        <source>核查工作台 — 培训模式</source>
        <translation>Hecha Workbench — training mode</translation>
    </message>
    <message>
        <source>培训模式</source>
        <translation>Training mode</translation>
    </message>
    <message>
        <source>正在启动培训服务器并准备演示数据，请稍候…</source>
        <translation>Starting the training server and preparing the demo data, please wait…</translation>
    </message>
    <message>
        <source>培训模式：已登录培训服务器。</source>
        <translation>Training mode: logged in to the training server.</translation>
    </message>
    <message>
        <source>培训模式 · 账号 {user}（{name}） · 密码 {password} · 练习数据只保存在本机和培训服务器</source>
        <translation>Training mode · account {user} ({name}) · password {password} · practice data stays on this computer and the training server</translation>
    </message>
    <message>
        <source>（培训模式）</source>
        <translation> (training mode)</translation>
    </message>
    <message>
        <source>培训(&amp;T)</source>
        <translation>&amp;Training</translation>
    </message>
    <message>
        <source>重置培训数据…</source>
        <translation>Reset training data…</translation>
    </message>
    <message>
        <source>模拟县办修改当前记录（制造冲突）</source>
        <translation>Simulate a county office edit of this record (conflict)</translation>
    </message>
    <message>
        <source>模拟省平台撤回当前任务</source>
        <translation>Simulate the province withdrawing this case</translation>
    </message>
    <message>
        <source>培训账号与服务器地址…</source>
        <translation>Training accounts and server address…</translation>
    </message>
    <message>
        <source>培训模式启动失败。</source>
        <translation>Training mode could not start.</translation>
    </message>
    <message>
        <source>培训模式启动失败：{reason}</source>
        <translation>Training mode could not start: {reason}</translation>
    </message>
    <message>
        <source>操作失败：{reason}</source>
        <translation>The operation failed: {reason}</translation>
    </message>
    <message>
        <source>重置培训数据</source>
        <translation>Reset training data</translation>
    </message>
    <message>
        <source>把培训数据恢复到初始状态？本机所有练习修改（包括未上传的）都将清除。</source>
        <translation>Restore the training data to its starting state? All practice changes on this computer (including unsent ones) are cleared.</translation>
    </message>
    <message>
        <source>正在恢复培训数据的初始状态…</source>
        <translation>Restoring the training data to its starting state…</translation>
    </message>
    <message>
        <source>请先在列表中选中或打开一条任务。</source>
        <translation>Select or open a case in the list first.</translation>
    </message>
    <message>
        <source>县办已在服务器上修改了任务 {id} 的同一字段。点击「立即同步」，即可看到冲突。</source>
        <translation>The county office changed the same field of case {id} on the server. Click &quot;Sync now&quot; to see the conflict.</translation>
    </message>
    <message>
        <source>省平台已撤回任务 {id}。点击「立即同步」，它会出现在「已撤回」中。</source>
        <translation>The province withdrew case {id}. Click &quot;Sync now&quot; and it appears under &quot;Withdrawn&quot;.</translation>
    </message>
    <message>
        <source>培训服务器：{url}</source>
        <translation>Training server: {url}</translation>
    </message>
    <message>
        <source>培训账号</source>
        <translation>Training accounts</translation>
    </message>
    <message>
        <source>已收回</source>
        <translation>was withdrawn</translation>
    </message>
    <message>
        <source>已改派</source>
        <translation>was reassigned</translation>
    </message>
    <message>
        <source>已由他人完成</source>
        <translation>was completed by someone else</translation>
    </message>
    <message>
        <source>已删除</source>
        <translation>was deleted</translation>
    </message>
    <message>
        <source>已不在您的管辖范围</source>
        <translation>is no longer in your jurisdiction</translation>
    </message>
    <message>
        <source>这条任务{reason}</source>
        <translation>This case {reason}</translation>
    </message>
    <message>
        <source>（转给 {to}）</source>
        <translation> (to {to})</translation>
    </message>
    <message>
        <source>，时间 {at}</source>
        <translation> at {at}</translation>
    </message>
    <message>
        <source>导出未上传的修改…</source>
        <translation>Export unsent changes…</translation>
    </message>
    <message>
        <source>您在本机的修改尚未上传，已不能提交；可以导出保存，或放弃。</source>
        <translation>Your changes on this computer were not uploaded and can no longer be submitted; export them, or discard them.</translation>
    </message>
    <message>
        <source>导出未上传的修改</source>
        <translation>Export unsent changes</translation>
    </message>
    <message>
        <source>地区</source>
        <translation>Area</translation>
    </message>
    <message>
        <source>待办</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>逾期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>完成率</source>
        <translation>Done %</translation>
    </message>
    <message>
        <source>最久待办（天）</source>
        <translation>Oldest open (days)</translation>
    </message>
    <message>
        <source>专干最近同步</source>
        <translation>Workers&apos; last sync</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>经办人</source>
        <translation>Assignee</translation>
    </message>
    <message>
        <source>第 {version} 版 · {at} · {actor} · {action} · 经办人 {to}</source>
        <translation>Version {version} · {at} · {actor} · {action} · assignee {to}</translation>
    </message>
    <message>
        <source>{user} 从未同步</source>
        <translation>{user} never synced</translation>
    </message>
    <message>
        <source>{user} {when}（{days} 天未同步）</source>
        <translation>{user} {when} (not synced for {days} days)</translation>
    </message>
    <message>
        <source>任务 {id}（只读）</source>
        <translation>Case {id} (read-only)</translation>
    </message>
    <message>
        <source>类型：{kind}</source>
        <translation>Kind: {kind}</translation>
    </message>
    <message>
        <source>状态：{state}</source>
        <translation>State: {state}</translation>
    </message>
    <message>
        <source>经办人：{user}</source>
        <translation>Assignee: {user}</translation>
    </message>
    <message>
        <source>村(居)：{place}</source>
        <translation>Village: {place}</translation>
    </message>
    <message>
        <source>期限：{date}</source>
        <translation>Deadline: {date}</translation>
    </message>
    <message>
        <source>处理记录</source>
        <translation>History</translation>
    </message>
    <message>
        <source>返回上级</source>
        <translation>Up one level</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>查看（只读）</source>
        <translation>View (read-only)</translation>
    </message>
    <message>
        <source>改派…</source>
        <translation>Reassign…</translation>
    </message>
    <message>
        <source>设期限…</source>
        <translation>Set deadline…</translation>
    </message>
    <message>
        <source>辖区进度 · {name}</source>
        <translation>Progress of the jurisdiction · {name}</translation>
    </message>
    <message>
        <source>合计</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>尚无数据：请联网后刷新</source>
        <translation>No figures yet: refresh when online</translation>
    </message>
    <message>
        <source>正在读取…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>截至 {time}</source>
        <translation>As of {time}</translation>
    </message>
    <message>
        <source>（离线，显示上次的数据）</source>
        <translation> (offline: the last figures fetched)</translation>
    </message>
    <message>
        <source>{place} 的任务：正在读取…</source>
        <translation>Cases of {place}: loading…</translation>
    </message>
    <message>
        <source>离线：任务清单需要联网查看</source>
        <translation>Offline: the case list needs the network</translation>
    </message>
    <message>
        <source>{place} 的任务（{n} 条）</source>
        <translation>Cases of {place} ({n})</translation>
    </message>
    <message>
        <source>辖区内没有可以改派的其他专干。</source>
        <translation>No other worker of the jurisdiction can take this case.</translation>
    </message>
    <message>
        <source>改派任务 {id}</source>
        <translation>Reassign case {id}</translation>
    </message>
    <message>
        <source>改派给：</source>
        <translation>Reassign to:</translation>
    </message>
    <message>
        <source>任务 {id} 已改派给 {to}</source>
        <translation>Case {id} reassigned to {to}</translation>
    </message>
    <message>
        <source>任务 {id} 的期限</source>
        <translation>Deadline of case {id}</translation>
    </message>
    <message>
        <source>办理期限（YYYY-MM-DD，留空为取消期限）：</source>
        <translation>Deadline (YYYY-MM-DD, empty to clear):</translation>
    </message>
    <message>
        <source>任务 {id} 的期限已保存</source>
        <translation>Deadline of case {id} saved</translation>
    </message>
    <message>
        <source>按表号查找</source>
        <translation>Find by form number</translation>
    </message>
    <message>
        <source>核查表上的表号（可用扫描枪扫二维码）：</source>
        <translation>Form number (scan the QR code):</translation>
    </message>
    <message>
        <source>打开</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>找不到表号 {number} 对应的任务：{why}</source>
        <translation>No case for form {number}: {why}</translation>
    </message>
    <message>
        <source>没有需要入户核查的任务。</source>
        <translation>No cases to check door to door.</translation>
    </message>
    <message>
        <source>核查工作进度表</source>
        <translation>Progress workbook</translation>
    </message>
    <message>
        <source>导出核查工作进度表</source>
        <translation>Export the progress workbook</translation>
    </message>
    <message>
        <source>已保存 {name}</source>
        <translation>Saved {name}</translation>
    </message>
    <message>
        <source>入户核查表</source>
        <translation>Door-to-door verification form</translation>
    </message>
    <message>
        <source>异常数据核查</source>
        <translation>Error record check</translation>
    </message>
    <message>
        <source>出生登记核查</source>
        <translation>Birth registration check</translation>
    </message>
    <message>
        <source>疑似重复核查</source>
        <translation>Suspected duplicate check</translation>
    </message>
    <message>
        <source>（第{n}条）</source>
        <translation> (record {n})</translation>
    </message>
    <message>
        <source>&#x3000;办理期限：{date}</source>
        <translation>  Deadline: {date}</translation>
    </message>
    <message>
        <source>未取名（母亲 {mother}）</source>
        <translation>Not named yet (mother {mother})</translation>
    </message>
    <message>
        <source>打印入户核查表</source>
        <translation>Print door-to-door forms</translation>
    </message>
    <message>
        <source>修改密码</source>
        <translation>Change password</translation>
    </message>
    <message>
        <source>新密码至少 8 位，包含大写字母、小写字母、数字、符号中的至少三类，不能包含用户名，不能与最近 5 次的密码相同。</source>
        <translation>The new password needs at least 8 characters from at least three of: upper-case letters, lower-case letters, digits, symbols; it may not contain the username or repeat one of the last 5 passwords.</translation>
    </message>
    <message>
        <source>原密码</source>
        <translation>Current password</translation>
    </message>
    <message>
        <source>新密码</source>
        <translation>New password</translation>
    </message>
    <message>
        <source>再输入一次</source>
        <translation>Repeat new password</translation>
    </message>
    <message>
        <source>请填写原密码和新密码。</source>
        <translation>Please enter the current and the new password.</translation>
    </message>
    <message>
        <source>两次输入的新密码不一致。</source>
        <translation>The two new passwords differ.</translation>
    </message>
    <message>
        <source>正在修改…</source>
        <translation>Changing…</translation>
    </message>
    <message>
        <source>密码已修改。其他电脑上的登录已失效。</source>
        <translation>Password changed. Logins on other computers have ended.</translation>
    </message>
</context>
<context>
    <name>CodeCombo</name>
    <message>
        <source>输入代码或名称</source>
        <translation>Type a code or name</translation>
    </message>
    <message>
        <source>{code}（不在代码表中）</source>
        <translation>{code} (not in the code table)</translation>
    </message>
</context>
<context>
    <name>DateField</name>
    <message>
        <source>例如 1990-01-31</source>
        <translation>e.g. 1990-01-31</translation>
    </message>
    <message>
        <source>日期格式应为 1990-01-31</source>
        <translation>Dates look like 1990-01-31</translation>
    </message>
</context>
<context>
    <name>Navigation</name>
    <message>
        <source>异常数据</source>
        <translation>Error records</translation>
    </message>
    <message>
        <source>出生反推</source>
        <translation>Births</translation>
    </message>
    <message>
        <source>疑似重复</source>
        <translation>Suspected duplicates</translation>
    </message>
    <message>
        <source>已处理待上传</source>
        <translation>Done, to upload</translation>
    </message>
    <message>
        <source>冲突</source>
        <translation>Conflict</translation>
    </message>
    <message>
        <source>被退回</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>已撤回</source>
        <translation>Withdrawn</translation>
    </message>
    <message>
        <source>已完成</source>
        <translation>Completed</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>核查工作台</source>
        <translation>Hecha Workbench</translation>
    </message>
</context>
<context>
    <name>codes</name>
    <message>
        <source>未知的性别</source>
        <translation>Unknown sex</translation>
    </message>
    <message>
        <source>男性</source>
        <translation>Male</translation>
    </message>
    <message>
        <source>女性</source>
        <translation>Female</translation>
    </message>
    <message>
        <source>女性改(变)为男性</source>
        <translation>Female changed to male</translation>
    </message>
    <message>
        <source>男性改(变)为女性</source>
        <translation>Male changed to female</translation>
    </message>
    <message>
        <source>未说明的性别</source>
        <translation>Unspecified sex</translation>
    </message>
    <message>
        <source>未婚</source>
        <translation>Never married</translation>
    </message>
    <message>
        <source>已婚</source>
        <translation>Married</translation>
    </message>
    <message>
        <source>初婚</source>
        <translation>First marriage</translation>
    </message>
    <message>
        <source>再婚</source>
        <translation>Remarried</translation>
    </message>
    <message>
        <source>复婚</source>
        <translation>Remarried to former spouse</translation>
    </message>
    <message>
        <source>丧偶</source>
        <translation>Widowed</translation>
    </message>
    <message>
        <source>离婚</source>
        <translation>Divorced</translation>
    </message>
    <message>
        <source>未说明的婚姻状况</source>
        <translation>Unspecified marital status</translation>
    </message>
    <message>
        <source>汉族</source>
        <translation>Han</translation>
    </message>
    <message>
        <source>蒙古族</source>
        <translation>Mongol</translation>
    </message>
    <message>
        <source>回族</source>
        <translation>Hui</translation>
    </message>
    <message>
        <source>藏族</source>
        <translation>Tibetan</translation>
    </message>
    <message>
        <source>维吾尔族</source>
        <translation>Uyghur</translation>
    </message>
    <message>
        <source>苗族</source>
        <translation>Miao</translation>
    </message>
    <message>
        <source>彝族</source>
        <translation>Yi</translation>
    </message>
    <message>
        <source>壮族</source>
        <translation>Zhuang</translation>
    </message>
    <message>
        <source>布依族</source>
        <translation>Buyei</translation>
    </message>
    <message>
        <source>朝鲜族</source>
        <translation>Korean</translation>
    </message>
    <message>
        <source>满族</source>
        <translation>Manchu</translation>
    </message>
    <message>
        <source>侗族</source>
        <translation>Dong</translation>
    </message>
    <message>
        <source>瑶族</source>
        <translation>Yao</translation>
    </message>
    <message>
        <source>白族</source>
        <translation>Bai</translation>
    </message>
    <message>
        <source>土家族</source>
        <translation>Tujia</translation>
    </message>
    <message>
        <source>哈尼族</source>
        <translation>Hani</translation>
    </message>
    <message>
        <source>哈萨克族</source>
        <translation>Kazakh</translation>
    </message>
    <message>
        <source>傣族</source>
        <translation>Dai</translation>
    </message>
    <message>
        <source>黎族</source>
        <translation>Li</translation>
    </message>
    <message>
        <source>傈僳族</source>
        <translation>Lisu</translation>
    </message>
    <message>
        <source>佤族</source>
        <translation>Va</translation>
    </message>
    <message>
        <source>畲族</source>
        <translation>She</translation>
    </message>
    <message>
        <source>高山族</source>
        <translation>Gaoshan</translation>
    </message>
    <message>
        <source>拉祜族</source>
        <translation>Lahu</translation>
    </message>
    <message>
        <source>水族</source>
        <translation>Shui</translation>
    </message>
    <message>
        <source>东乡族</source>
        <translation>Dongxiang</translation>
    </message>
    <message>
        <source>纳西族</source>
        <translation>Naxi</translation>
    </message>
    <message>
        <source>景颇族</source>
        <translation>Jingpo</translation>
    </message>
    <message>
        <source>柯尔克孜族</source>
        <translation>Kyrgyz</translation>
    </message>
    <message>
        <source>土族</source>
        <translation>Tu</translation>
    </message>
    <message>
        <source>达斡尔族</source>
        <translation>Daur</translation>
    </message>
    <message>
        <source>仫佬族</source>
        <translation>Mulao</translation>
    </message>
    <message>
        <source>羌族</source>
        <translation>Qiang</translation>
    </message>
    <message>
        <source>布朗族</source>
        <translation>Blang</translation>
    </message>
    <message>
        <source>撒拉族</source>
        <translation>Salar</translation>
    </message>
    <message>
        <source>毛南族</source>
        <translation>Maonan</translation>
    </message>
    <message>
        <source>仡佬族</source>
        <translation>Gelao</translation>
    </message>
    <message>
        <source>锡伯族</source>
        <translation>Xibe</translation>
    </message>
    <message>
        <source>阿昌族</source>
        <translation>Achang</translation>
    </message>
    <message>
        <source>普米族</source>
        <translation>Pumi</translation>
    </message>
    <message>
        <source>塔吉克族</source>
        <translation>Tajik</translation>
    </message>
    <message>
        <source>怒族</source>
        <translation>Nu</translation>
    </message>
    <message>
        <source>乌孜别克族</source>
        <translation>Uzbek</translation>
    </message>
    <message>
        <source>俄罗斯族</source>
        <translation>Russian</translation>
    </message>
    <message>
        <source>鄂温克族</source>
        <translation>Ewenki</translation>
    </message>
    <message>
        <source>德昂族</source>
        <translation>De&apos;ang</translation>
    </message>
    <message>
        <source>保安族</source>
        <translation>Bonan</translation>
    </message>
    <message>
        <source>裕固族</source>
        <translation>Yugur</translation>
    </message>
    <message>
        <source>京族</source>
        <translation>Jing</translation>
    </message>
    <message>
        <source>塔塔尔族</source>
        <translation>Tatar</translation>
    </message>
    <message>
        <source>独龙族</source>
        <translation>Derung</translation>
    </message>
    <message>
        <source>鄂伦春族</source>
        <translation>Oroqen</translation>
    </message>
    <message>
        <source>赫哲族</source>
        <translation>Hezhen</translation>
    </message>
    <message>
        <source>门巴族</source>
        <translation>Monba</translation>
    </message>
    <message>
        <source>珞巴族</source>
        <translation>Lhoba</translation>
    </message>
    <message>
        <source>基诺族</source>
        <translation>Jino</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>外国血统中国籍人士</source>
        <translation>Chinese citizen of foreign origin</translation>
    </message>
    <message>
        <source>本人</source>
        <translation>Self</translation>
    </message>
    <message>
        <source>户主</source>
        <translation>Head of household</translation>
    </message>
    <message>
        <source>配偶</source>
        <translation>Spouse</translation>
    </message>
    <message>
        <source>夫</source>
        <translation>Husband</translation>
    </message>
    <message>
        <source>妻</source>
        <translation>Wife</translation>
    </message>
    <message>
        <source>子</source>
        <translation>Son</translation>
    </message>
    <message>
        <source>独生子</source>
        <translation>Only son</translation>
    </message>
    <message>
        <source>长子</source>
        <translation>Eldest son</translation>
    </message>
    <message>
        <source>次子</source>
        <translation>Second son</translation>
    </message>
    <message>
        <source>三子</source>
        <translation>Third son</translation>
    </message>
    <message>
        <source>四子</source>
        <translation>Fourth son</translation>
    </message>
    <message>
        <source>五子</source>
        <translation>Fifth son</translation>
    </message>
    <message>
        <source>养子或继子</source>
        <translation>Adopted son or stepson</translation>
    </message>
    <message>
        <source>女婿</source>
        <translation>Son-in-law</translation>
    </message>
    <message>
        <source>其他儿子</source>
        <translation>Other son</translation>
    </message>
    <message>
        <source>女</source>
        <translation>Daughter</translation>
    </message>
    <message>
        <source>独生女</source>
        <translation>Only daughter</translation>
    </message>
    <message>
        <source>长女</source>
        <translation>Eldest daughter</translation>
    </message>
    <message>
        <source>次女</source>
        <translation>Second daughter</translation>
    </message>
    <message>
        <source>三女</source>
        <translation>Third daughter</translation>
    </message>
    <message>
        <source>四女</source>
        <translation>Fourth daughter</translation>
    </message>
    <message>
        <source>五女</source>
        <translation>Fifth daughter</translation>
    </message>
    <message>
        <source>养女或继女</source>
        <translation>Adopted daughter or stepdaughter</translation>
    </message>
    <message>
        <source>儿媳</source>
        <translation>Daughter-in-law</translation>
    </message>
    <message>
        <source>其他女儿</source>
        <translation>Other daughter</translation>
    </message>
    <message>
        <source>孙子、孙女或外孙子、外孙女</source>
        <translation>Grandchild</translation>
    </message>
    <message>
        <source>孙子</source>
        <translation>Grandson (son&apos;s son)</translation>
    </message>
    <message>
        <source>孙女</source>
        <translation>Granddaughter (son&apos;s daughter)</translation>
    </message>
    <message>
        <source>外孙子</source>
        <translation>Grandson (daughter&apos;s son)</translation>
    </message>
    <message>
        <source>外孙女</source>
        <translation>Granddaughter (daughter&apos;s daughter)</translation>
    </message>
    <message>
        <source>孙媳妇或外孙媳妇</source>
        <translation>Grandson&apos;s wife</translation>
    </message>
    <message>
        <source>孙女婿或外孙女婿</source>
        <translation>Granddaughter&apos;s husband</translation>
    </message>
    <message>
        <source>曾孙子或外曾孙子</source>
        <translation>Great-grandson</translation>
    </message>
    <message>
        <source>曾孙女或外曾孙女</source>
        <translation>Great-granddaughter</translation>
    </message>
    <message>
        <source>其他孙子、孙女或外孙子、外孙女</source>
        <translation>Other grandchild</translation>
    </message>
    <message>
        <source>父母</source>
        <translation>Parent</translation>
    </message>
    <message>
        <source>父亲</source>
        <translation>Father</translation>
    </message>
    <message>
        <source>母亲</source>
        <translation>Mother</translation>
    </message>
    <message>
        <source>公公</source>
        <translation>Father-in-law (husband&apos;s father)</translation>
    </message>
    <message>
        <source>婆婆</source>
        <translation>Mother-in-law (husband&apos;s mother)</translation>
    </message>
    <message>
        <source>岳父</source>
        <translation>Father-in-law (wife&apos;s father)</translation>
    </message>
    <message>
        <source>岳母</source>
        <translation>Mother-in-law (wife&apos;s mother)</translation>
    </message>
    <message>
        <source>继父或养父</source>
        <translation>Stepfather or adoptive father</translation>
    </message>
    <message>
        <source>继母或养母</source>
        <translation>Stepmother or adoptive mother</translation>
    </message>
    <message>
        <source>其他父母关系</source>
        <translation>Other parent relation</translation>
    </message>
    <message>
        <source>祖父母或外祖父母</source>
        <translation>Grandparent</translation>
    </message>
    <message>
        <source>祖父</source>
        <translation>Grandfather (paternal)</translation>
    </message>
    <message>
        <source>祖母</source>
        <translation>Grandmother (paternal)</translation>
    </message>
    <message>
        <source>外祖父</source>
        <translation>Grandfather (maternal)</translation>
    </message>
    <message>
        <source>外祖母</source>
        <translation>Grandmother (maternal)</translation>
    </message>
    <message>
        <source>配偶的祖父母或外祖父母</source>
        <translation>Spouse&apos;s grandparent</translation>
    </message>
    <message>
        <source>曾祖父</source>
        <translation>Great-grandfather</translation>
    </message>
    <message>
        <source>曾祖母</source>
        <translation>Great-grandmother</translation>
    </message>
    <message>
        <source>配偶的曾祖父母或外曾祖父母</source>
        <translation>Spouse&apos;s great-grandparent</translation>
    </message>
    <message>
        <source>其他祖父母或外祖父母关系</source>
        <translation>Other grandparent relation</translation>
    </message>
    <message>
        <source>兄、弟、姐、妹</source>
        <translation>Sibling</translation>
    </message>
    <message>
        <source>兄</source>
        <translation>Elder brother</translation>
    </message>
    <message>
        <source>嫂</source>
        <translation>Elder brother&apos;s wife</translation>
    </message>
    <message>
        <source>弟</source>
        <translation>Younger brother</translation>
    </message>
    <message>
        <source>弟媳</source>
        <translation>Younger brother&apos;s wife</translation>
    </message>
    <message>
        <source>姐姐</source>
        <translation>Elder sister</translation>
    </message>
    <message>
        <source>姐夫</source>
        <translation>Elder sister&apos;s husband</translation>
    </message>
    <message>
        <source>妹妹</source>
        <translation>Younger sister</translation>
    </message>
    <message>
        <source>妹夫</source>
        <translation>Younger sister&apos;s husband</translation>
    </message>
    <message>
        <source>其他兄弟姐妹</source>
        <translation>Other sibling</translation>
    </message>
    <message>
        <source>伯父</source>
        <translation>Uncle (father&apos;s elder brother)</translation>
    </message>
    <message>
        <source>伯母</source>
        <translation>Aunt (wife of father&apos;s elder brother)</translation>
    </message>
    <message>
        <source>叔父</source>
        <translation>Uncle (father&apos;s younger brother)</translation>
    </message>
    <message>
        <source>婶母</source>
        <translation>Aunt (wife of father&apos;s younger brother)</translation>
    </message>
    <message>
        <source>舅父</source>
        <translation>Uncle (mother&apos;s brother)</translation>
    </message>
    <message>
        <source>舅母</source>
        <translation>Aunt (wife of mother&apos;s brother)</translation>
    </message>
    <message>
        <source>姨父</source>
        <translation>Uncle (husband of mother&apos;s sister)</translation>
    </message>
    <message>
        <source>姨母</source>
        <translation>Aunt (mother&apos;s sister)</translation>
    </message>
    <message>
        <source>姑父</source>
        <translation>Uncle (husband of father&apos;s sister)</translation>
    </message>
    <message>
        <source>姑母</source>
        <translation>Aunt (father&apos;s sister)</translation>
    </message>
    <message>
        <source>堂兄弟、堂姐妹</source>
        <translation>Cousin (father&apos;s brother&apos;s child)</translation>
    </message>
    <message>
        <source>表兄弟、表姐妹</source>
        <translation>Cousin (other)</translation>
    </message>
    <message>
        <source>侄子</source>
        <translation>Nephew (brother&apos;s son)</translation>
    </message>
    <message>
        <source>侄女</source>
        <translation>Niece (brother&apos;s daughter)</translation>
    </message>
    <message>
        <source>外甥</source>
        <translation>Nephew (sister&apos;s son)</translation>
    </message>
    <message>
        <source>外甥女</source>
        <translation>Niece (sister&apos;s daughter)</translation>
    </message>
    <message>
        <source>其他亲属</source>
        <translation>Other relative</translation>
    </message>
    <message>
        <source>非亲属</source>
        <translation>Not related</translation>
    </message>
    <message>
        <source>非农业户口</source>
        <translation>Non-agricultural hukou</translation>
    </message>
    <message>
        <source>农业户口</source>
        <translation>Agricultural hukou</translation>
    </message>
    <message>
        <source>未落常住户口</source>
        <translation>No permanent hukou registered</translation>
    </message>
    <message>
        <source>非农业家庭户口</source>
        <translation>Non-agricultural family hukou</translation>
    </message>
    <message>
        <source>农业家庭户口</source>
        <translation>Agricultural family hukou</translation>
    </message>
    <message>
        <source>非农业集体户口</source>
        <translation>Non-agricultural collective hukou</translation>
    </message>
    <message>
        <source>农业集体户口</source>
        <translation>Agricultural collective hukou</translation>
    </message>
    <message>
        <source>自理口粮户口</source>
        <translation>Self-supplied grain hukou</translation>
    </message>
    <message>
        <source>寄住户口</source>
        <translation>Lodging hukou</translation>
    </message>
    <message>
        <source>暂住户口</source>
        <translation>Temporary residence hukou</translation>
    </message>
    <message>
        <source>其他户口</source>
        <translation>Other hukou</translation>
    </message>
    <message>
        <source>居民身份证</source>
        <translation>Resident identity card</translation>
    </message>
    <message>
        <source>居民户口簿</source>
        <translation>Household register booklet</translation>
    </message>
    <message>
        <source>护照</source>
        <translation>Passport</translation>
    </message>
    <message>
        <source>军官证</source>
        <translation>Military officer&apos;s card</translation>
    </message>
    <message>
        <source>驾驶证</source>
        <translation>Driving licence</translation>
    </message>
    <message>
        <source>港澳居民来往内地通行证</source>
        <translation>Mainland travel permit for Hong Kong and Macao residents</translation>
    </message>
    <message>
        <source>台湾居民来往内地通行证</source>
        <translation>Mainland travel permit for Taiwan residents</translation>
    </message>
    <message>
        <source>其他法定有效证件</source>
        <translation>Other valid legal document</translation>
    </message>
    <message>
        <source>研究生教育</source>
        <translation>Postgraduate education</translation>
    </message>
    <message>
        <source>博士研究生毕业</source>
        <translation>Doctorate, graduated</translation>
    </message>
    <message>
        <source>博士研究生结业</source>
        <translation>Doctorate, completed without degree</translation>
    </message>
    <message>
        <source>博士研究生肄业</source>
        <translation>Doctorate, not completed</translation>
    </message>
    <message>
        <source>硕士研究生毕业</source>
        <translation>Master&apos;s, graduated</translation>
    </message>
    <message>
        <source>硕士研究生结业</source>
        <translation>Master&apos;s, completed without degree</translation>
    </message>
    <message>
        <source>硕士研究生肄业</source>
        <translation>Master&apos;s, not completed</translation>
    </message>
    <message>
        <source>研究生班毕业</source>
        <translation>Postgraduate class, graduated</translation>
    </message>
    <message>
        <source>研究生班结业</source>
        <translation>Postgraduate class, completed without degree</translation>
    </message>
    <message>
        <source>研究生班肄业</source>
        <translation>Postgraduate class, not completed</translation>
    </message>
    <message>
        <source>大学本科教育</source>
        <translation>Undergraduate education</translation>
    </message>
    <message>
        <source>大学本科毕业</source>
        <translation>Bachelor&apos;s, graduated</translation>
    </message>
    <message>
        <source>大学本科结业</source>
        <translation>Bachelor&apos;s, completed without degree</translation>
    </message>
    <message>
        <source>大学本科肄业</source>
        <translation>Bachelor&apos;s, not completed</translation>
    </message>
    <message>
        <source>大学普通班毕业</source>
        <translation>University general class, graduated</translation>
    </message>
    <message>
        <source>大学专科教育</source>
        <translation>Junior college education</translation>
    </message>
    <message>
        <source>大学专科毕业</source>
        <translation>Junior college, graduated</translation>
    </message>
    <message>
        <source>大学专科结业</source>
        <translation>Junior college, completed without degree</translation>
    </message>
    <message>
        <source>大学专科肄业</source>
        <translation>Junior college, not completed</translation>
    </message>
    <message>
        <source>中等职业教育</source>
        <translation>Secondary vocational education</translation>
    </message>
    <message>
        <source>中等专科毕业</source>
        <translation>Secondary specialised school, graduated</translation>
    </message>
    <message>
        <source>中等专科结业</source>
        <translation>Secondary specialised school, completed without diploma</translation>
    </message>
    <message>
        <source>中等专科肄业</source>
        <translation>Secondary specialised school, not completed</translation>
    </message>
    <message>
        <source>职业高中毕业</source>
        <translation>Vocational high school, graduated</translation>
    </message>
    <message>
        <source>职业高中结业</source>
        <translation>Vocational high school, completed without diploma</translation>
    </message>
    <message>
        <source>职业高中肄业</source>
        <translation>Vocational high school, not completed</translation>
    </message>
    <message>
        <source>技工学校毕业</source>
        <translation>Technical school, graduated</translation>
    </message>
    <message>
        <source>技工学校结业</source>
        <translation>Technical school, completed without diploma</translation>
    </message>
    <message>
        <source>技工学校肄业</source>
        <translation>Technical school, not completed</translation>
    </message>
    <message>
        <source>普通高级中学教育</source>
        <translation>General senior secondary education</translation>
    </message>
    <message>
        <source>普通高中毕业</source>
        <translation>Senior high school, graduated</translation>
    </message>
    <message>
        <source>普通高中结业</source>
        <translation>Senior high school, completed without diploma</translation>
    </message>
    <message>
        <source>普通高中肄业</source>
        <translation>Senior high school, not completed</translation>
    </message>
    <message>
        <source>初级中学教育</source>
        <translation>Junior secondary education</translation>
    </message>
    <message>
        <source>初中毕业</source>
        <translation>Junior high school, graduated</translation>
    </message>
    <message>
        <source>初中肄业</source>
        <translation>Junior high school, not completed</translation>
    </message>
    <message>
        <source>小学教育</source>
        <translation>Primary education</translation>
    </message>
    <message>
        <source>小学毕业</source>
        <translation>Primary school, graduated</translation>
    </message>
    <message>
        <source>小学肄业</source>
        <translation>Primary school, not completed</translation>
    </message>
    <message>
        <source>研究生</source>
        <translation>Postgraduate</translation>
    </message>
    <message>
        <source>大学本科</source>
        <translation>Undergraduate</translation>
    </message>
    <message>
        <source>大学专科和专科学校</source>
        <translation>Junior college</translation>
    </message>
    <message>
        <source>中等专业学校或中等技术学校</source>
        <translation>Secondary specialised or technical school</translation>
    </message>
    <message>
        <source>技工学校</source>
        <translation>Technical school</translation>
    </message>
    <message>
        <source>高中</source>
        <translation>Senior high school</translation>
    </message>
    <message>
        <source>初中</source>
        <translation>Junior high school</translation>
    </message>
    <message>
        <source>小学</source>
        <translation>Primary school</translation>
    </message>
    <message>
        <source>文盲或半文盲</source>
        <translation>Illiterate or semi-literate</translation>
    </message>
    <message>
        <source>主城区</source>
        <translation>Main urban area</translation>
    </message>
    <message>
        <source>城乡结合区</source>
        <translation>Urban-rural fringe</translation>
    </message>
    <message>
        <source>镇中心区</source>
        <translation>Town centre</translation>
    </message>
    <message>
        <source>镇乡结合区</source>
        <translation>Town-rural fringe</translation>
    </message>
    <message>
        <source>特殊区域</source>
        <translation>Special area</translation>
    </message>
    <message>
        <source>乡中心区</source>
        <translation>Township centre</translation>
    </message>
    <message>
        <source>村庄</source>
        <translation>Village</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>核查工作台</source>
        <translation>Hecha Workbench</translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <source>无法连接服务器：请检查VPN是否已连接。您的修改已保存在本机，连接恢复后会自动上传。</source>
        <translation>Cannot reach the server: please check that the VPN is connected. Your changes are saved on this computer and will be uploaded when the connection is back.</translation>
    </message>
    <message>
        <source>服务器正忙，请稍候，程序会自动重试。</source>
        <translation>The server is busy; the program will retry shortly.</translation>
    </message>
    <message>
        <source>登录已过期：请重新输入密码登录。您的修改不会丢失。</source>
        <translation>Your login has expired: please enter your password again. Your changes are not lost.</translation>
    </message>
    <message>
        <source>与服务器的连接中断：网络不稳定。您的修改已保存在本机，稍后会自动重试。</source>
        <translation>The connection to the server broke: the network is unstable. Your changes are saved on this computer; the upload will be retried.</translation>
    </message>
    <message>
        <source>服务器证书校验失败：连接可能不安全，已停止同步。请检查电脑的日期时间，或联系县里的管理员确认服务器地址和证书文件（CA）设置。</source>
        <translation>The server&apos;s certificate could not be verified: the connection may not be safe, so sync stopped. Check the computer&apos;s date and time, or ask the county administrator to check the server address and CA file.</translation>
    </message>
    <message>
        <source>服务器地址必须以 https:// 开头：只有本机可以用 http://，否则密码会以明文在网络上传送。请向县里的系统管理员确认服务器地址。</source>
        <translation>The server address must start with https:// (only this computer may use http://), or the password would cross the network in clear text. Please ask the county administrator for the address.</translation>
    </message>
    <message>
        <source>账号已停用：请联系县里的系统管理员。本机数据已锁定，不能再离线打开；尚未上传的修改仍加密保存在本机。</source>
        <translation>This account has been deactivated: please contact the county administrator. The data on this PC is locked and cannot be opened offline; unsent changes stay encrypted on this PC.</translation>
    </message>
    <message>
        <source>密码错误次数过多，账号已暂时锁定：请稍后再试，或联系系统管理员。</source>
        <translation>Too many wrong passwords: the account is locked for a while. Please try again later or contact the administrator.</translation>
    </message>
    <message>
        <source>密码已过期：请先修改密码。</source>
        <translation>The password has expired: please change it first.</translation>
    </message>
    <message>
        <source>新密码不符合要求：至少 8 位，包含大写字母、小写字母、数字、符号中的至少三类，不能包含用户名，不能与最近 5 次的密码相同。</source>
        <translation>The new password does not meet the rules: at least 8 characters from three of upper-case, lower-case, digits and symbols, not containing the username, not one of the last 5.</translation>
    </message>
    <message>
        <source>数字证书与账号不符：请选择本人的证书（.p12/.pfx）后重新登录。</source>
        <translation>The certificate does not belong to this account: choose your own certificate (.p12/.pfx) and log in again.</translation>
    </message>
    <message>
        <source>数字证书文件无法打开：请检查证书口令是否正确，或重新选择证书文件（.p12/.pfx）。</source>
        <translation>The certificate file cannot be opened: check the passphrase, or choose the certificate file (.p12/.pfx) again.</translation>
    </message>
    <message>
        <source>不能离线打开本机数据（账号已停用、超过离线期限、本机时间被调回或锁屏密码错误次数过多）：请在联网时登录。</source>
        <translation>The data on this PC cannot be opened offline (account deactivated, offline too long, the clock was set back, or too many wrong unlock passwords): please log in while online.</translation>
    </message>
    <message>
        <source>服务器拒绝了请求（错误 {status_code}）。您的修改已保存在本机，请联系县里的管理员。</source>
        <translation>The server refused the request (error {status_code}). Your changes are saved on this computer; please contact the county administrator.</translation>
    </message>
    <message>
        <source>一次上传的数据过多，程序会自动分批重试。</source>
        <translation>Too much data in one upload; it will be retried in smaller batches.</translation>
    </message>
    <message>
        <source>操作失败。</source>
        <translation>The operation failed.</translation>
    </message>
    <message>
        <source>服务器长时间没有响应（超时）：网络可能很慢或不稳定。您的修改已保存在本机，稍后会自动重试。</source>
        <translation>The server did not answer in time: the network may be slow or unstable. Your changes are saved on this computer; the upload will be retried.</translation>
    </message>
    <message>
        <source>这是管理员为您设置的初始密码（新账号或密码已重置）：请先设置您自己的新密码，然后继续登录。</source>
        <translation>This is an initial password set by an administrator (a new account or a reset): please set your own new password first, then log in.</translation>
    </message>
    <message>
        <source>不能离线打开本机数据：服务器已停用此账号。请在联网时登录。</source>
        <translation>The data on this PC cannot be opened offline: the server has deactivated this account. Please log in while online.</translation>
    </message>
    <message>
        <source>不能离线打开本机数据：锁屏密码错误次数过多，已退出登录。请在联网时登录。</source>
        <translation>The data on this PC cannot be opened offline: too many wrong unlock passwords, you were signed out. Please log in while online.</translation>
    </message>
    <message>
        <source>不能离线打开本机数据：本机日期时间早于上次使用时（可能被调回）。请在联网时登录。</source>
        <translation>The data on this PC cannot be opened offline: the computer&apos;s date and time are earlier than at the last use (the clock may have been set back). Please log in while online.</translation>
    </message>
    <message>
        <source>不能离线打开本机数据：已超过 {days} 天未联网验证。请在联网时登录。</source>
        <translation>The data on this PC cannot be opened offline: it has not been verified online for more than {days} days. Please log in while online.</translation>
    </message>
    <message>
        <source>服务器出错（错误 {status_code}）。您的修改已保存在本机，稍后会自动重试；如果持续出现，请联系管理员。</source>
        <translation>The server has a problem (error {status_code}). Your changes are saved on this computer and will be retried; if this continues, contact the administrator.</translation>
    </message>
    <message>
        <source>用户名或密码错误：请检查后重新输入（注意大小写和输入法）。</source>
        <translation>Wrong username or password. Check and try again (mind upper case and the input method).</translation>
    </message>
    <message>
        <source>密码错误，无法打开本机数据：请输入您上次在本机登录时使用的密码。</source>
        <translation>Wrong password: the local data cannot be opened. Enter the password you used the last time you logged in on this computer.</translation>
    </message>
    <message>
        <source>服务器上的密码已修改：请再输入一次在本机用过的旧密码，以便更新本机数据的加密。</source>
        <translation>Your password was changed on the server: enter the old password used on this computer once more to update the local encryption.</translation>
    </message>
    <message>
        <source>本机没有用户“{username}”的数据，无法离线登录。请连接VPN后在线登录一次。</source>
        <translation>There is no data for &quot;{username}&quot; on this computer, so offline login is not possible. Connect the VPN and log in online once.</translation>
    </message>
    <message>
        <source>本机数据属于用户“{owner}”，不能以用户“{username}”的身份上传。</source>
        <translation>The local data belongs to &quot;{owner}&quot; and cannot be uploaded as &quot;{username}&quot;.</translation>
    </message>
    <message>
        <source>没有权限：这条记录不在您的管辖范围内，或登录的账号不对。</source>
        <translation>Not allowed: this record is outside your jurisdiction, or you are logged in with the wrong account.</translation>
    </message>
    <message>
        <source>本程序版本过旧，服务器已不再接受同步。请安装新版本；您的修改仍保存在本机。</source>
        <translation>This version is too old and the server no longer accepts it. Please install the new version; your changes stay saved on this computer.</translation>
    </message>
    <message>
        <source>需要重新下载全部任务，您的待上传修改会保留。</source>
        <translation>All cases need to be downloaded again; your pending changes are kept.</translation>
    </message>
    <message>
        <source>上一次同步仍在服务器上处理中，请稍后再试。</source>
        <translation>The previous sync is still being processed by the server; please try again later.</translation>
    </message>
    <message>
        <source>一条修改与服务器上已有的记录冲突，已停止上传这一条。请联系管理员。</source>
        <translation>One change clashes with a record already on the server, so it was not uploaded. Please contact the administrator.</translation>
    </message>
    <message>
        <source>服务器返回的数据不完整或已损坏，本次同步没有更改任何数据。程序会自动重试。</source>
        <translation>The server&apos;s answer was incomplete or damaged; this sync changed nothing. It will be retried automatically.</translation>
    </message>
    <message>
        <source>同步已取消。已完成的部分已保存。</source>
        <translation>Sync cancelled. What was already done is saved.</translation>
    </message>
    <message>
        <source>正在同步中，请稍候。</source>
        <translation>A sync is running, please wait.</translation>
    </message>
    <message>
        <source>本机数据与服务器校验不一致，已尝试修复，下次同步会再次检查。您的修改不会丢失。</source>
        <translation>The local data did not match the server&apos;s check; a repair was attempted and will be checked again at the next sync. Your changes are not lost.</translation>
    </message>
    <message>
        <source>同步失败。您的修改已保存在本机，不会丢失。</source>
        <translation>Sync failed. Your changes are saved on this computer and will not be lost.</translation>
    </message>
    <message>
        <source>程序出现了意外错误。您已保存的工作不受影响。如果问题反复出现，请把日志文件发给管理员：{log_file}</source>
        <translation>An unexpected error occurred. Your saved work is not affected. If this keeps happening, send the log file to the administrator: {log_file}</translation>
    </message>
    <message>
        <source>他人在您处理期间修改了这条记录，请选择保留哪一方的值。</source>
        <translation>Someone else changed this record while you were working on it; choose which values to keep.</translation>
    </message>
    <message>
        <source>服务器检查未通过，请按提示改正后重新保存。</source>
        <translation>The server&apos;s checks failed; correct the fields as shown and save again.</translation>
    </message>
    <message>
        <source>这条任务已被收回或转给他人，您的修改可以导出保存。</source>
        <translation>This case was withdrawn or reassigned; you can export your changes.</translation>
    </message>
    <message>
        <source>等待前一条修改处理完毕。</source>
        <translation>Waiting for the previous change to be processed.</translation>
    </message>
    <message>
        <source>保存失败：{summary}</source>
        <translation>Not saved: {summary}</translation>
    </message>
    <message>
        <source>找不到任务 {task_id}：可能已被收回或删除，请先同步。</source>
        <translation>Case {task_id} was not found: it may have been withdrawn or deleted. Please sync first.</translation>
    </message>
    <message>
        <source>任务 {task_id} 已完成、被收回或不再分配给您，不能再修改。</source>
        <translation>Case {task_id} is done, withdrawn or no longer assigned to you: it cannot be changed.</translation>
    </message>
    <message>
        <source>任务 {task_id} 已完成，不能再修改。</source>
        <translation>Case {task_id} is done: it cannot be changed.</translation>
    </message>
    <message>
        <source>任务 {task_id} 已被收回，不能再修改。</source>
        <translation>Case {task_id} has been withdrawn: it cannot be changed.</translation>
    </message>
    <message>
        <source>任务 {task_id} 已不再分配给您，不能再修改。</source>
        <translation>Case {task_id} is no longer assigned to you: it cannot be changed.</translation>
    </message>
    <message>
        <source>本机还没有进度数据：请先联网同步一次（账号 {username}）。</source>
        <translation>There is no progress data on this computer yet: sync once while online first (account {username}).</translation>
    </message>
    <message>
        <source>任务 {task_id} 不是这类任务。</source>
        <translation>Case {task_id} is not of this kind.</translation>
    </message>
    <message>
        <source>提交的内容格式不对。</source>
        <translation>What was submitted has the wrong format.</translation>
    </message>
    <message>
        <source>修改内容格式不对。</source>
        <translation>The changes have the wrong format.</translation>
    </message>
    <message>
        <source>这些字段不能修改：{fields}</source>
        <translation>These fields cannot be changed: {fields}</translation>
    </message>
    <message>
        <source>没有需要保存的修改。</source>
        <translation>There are no changes to save.</translation>
    </message>
    <message>
        <source>字段 {fields} 的内容过长。</source>
        <translation>The field {fields} is too long.</translation>
    </message>
    <message>
        <source>字段 {fields} 含有不可见的控制字符。</source>
        <translation>The field {fields} contains invisible control characters.</translation>
    </message>
    <message>
        <source>请填写核实无误的原因。</source>
        <translation>Please give the reason why the record is correct.</translation>
    </message>
    <message>
        <source>请填写不是同一人的原因。</source>
        <translation>Please give the reason why they are not the same person.</translation>
    </message>
    <message>
        <source>请选择“无法核实”或“非本辖区”。</source>
        <translation>Please choose &quot;Cannot verify&quot; or &quot;Not in this jurisdiction&quot;.</translation>
    </message>
    <message>
        <source>请选择一个现有户或新立户（只能选一个）。</source>
        <translation>Please choose one existing household or a new household (only one).</translation>
    </message>
    <message>
        <source>请选择与户主的关系。</source>
        <translation>Please choose the relation to the householder.</translation>
    </message>
    <message>
        <source>户 {household_id} 不在可选的户中。</source>
        <translation>Household {household_id} is not one of those offered.</translation>
    </message>
    <message>
        <source>请选择退回原因：非本地居住、已登记或数据有误。</source>
        <translation>Please choose why it is sent back: not local, already registered, or wrong data.</translation>
    </message>
    <message>
        <source>请选择已登记的人员。</source>
        <translation>Please choose the registered person.</translation>
    </message>
    <message>
        <source>保留的记录不在这组疑似重复人员中。</source>
        <translation>The record to keep is not in this group of suspected duplicates.</translation>
    </message>
    <message>
        <source>字段选择无效：{fields}</source>
        <translation>Invalid field choices: {fields}</translation>
    </message>
    <message>
        <source>人员 {person_id} 不在这组记录中。</source>
        <translation>Person {person_id} is not in this group of records.</translation>
    </message>
    <message>
        <source>这个任务没有需要处理的冲突。</source>
        <translation>This case has no conflict to resolve.</translation>
    </message>
    <message>
        <source>请为每个冲突字段选择保留哪个值：{fields}</source>
        <translation>Please choose which value to keep for each conflicting field: {fields}</translation>
    </message>
    <message>
        <source>这项修改已发送，正在等待服务器确认，请先同步后再放弃。</source>
        <translation>This change was sent and waits for the server&apos;s answer: sync first, then discard it.</translation>
    </message>
    <message>
        <source>这个任务已被收回或改派，不能再修改；可以导出或放弃本机修改。</source>
        <translation>This case was withdrawn or reassigned and cannot be changed any more; you can export or discard the changes on this PC.</translation>
    </message>
    <message>
        <source>本地数据库出错。</source>
        <translation>The local database has a problem.</translation>
    </message>
    <message>
        <source>数据库密码不正确：无法用此密钥打开本地数据库。请确认登录的用户和密码。</source>
        <translation>Wrong database key: the local database cannot be opened with it. Check the user name and password you logged in with.</translation>
    </message>
    <message>
        <source>本地数据库文件已损坏或不是本程序的数据库，无法打开。</source>
        <translation>The local database file is damaged or is not a database of this program: it cannot be opened.</translation>
    </message>
    <message>
        <source>本地数据库文件未加密，不是本程序创建的数据库，已拒绝打开。</source>
        <translation>The local database file is not encrypted: it was not made by this program and was not opened.</translation>
    </message>
    <message>
        <source>本地数据库已损坏（完整性检查未通过）。请联系技术支持，不要删除该文件。</source>
        <translation>The local database is damaged (the integrity check failed). Contact technical support and do not delete the file.</translation>
    </message>
    <message>
        <source>本地数据库由更新版本的程序创建，请升级核查工作台后再打开。</source>
        <translation>The local database was made by a newer version of the program: upgrade Hecha, then open it again.</translation>
    </message>
    <message>
        <source>磁盘空间不足，本次修改没有保存。请清理磁盘后重试。</source>
        <translation>The disk is full: this change was not saved. Free some disk space and try again.</translation>
    </message>
    <message>
        <source>本地数据库写入失败，本次修改没有保存。</source>
        <translation>Writing to the local database failed: this change was not saved.</translation>
    </message>
    <message>
        <source>本地数据库正被另一个程序占用，请关闭其他核查工作台窗口后重试。</source>
        <translation>The local database is in use by another program: close the other Hecha windows and try again.</translation>
    </message>
    <message>
        <source>本地数据库无法打开：{reason}</source>
        <translation>The local database cannot be opened: {reason}</translation>
    </message>
    <message>
        <source>本地数据库已关闭。</source>
        <translation>The local database is closed.</translation>
    </message>
    <message>
        <source>这是培训模式的练习数据，不能同步到正式服务器（{server}）。培训中的修改只能上传到培训服务器；正式工作请用正式账号重新登录。</source>
        <translation>This is training data and cannot be synced to the real server ({server}). Training changes only go to a training server; for real work, log in again with your real account.</translation>
    </message>
    <message>
        <source>本机的正式工作数据不能同步到培训服务器（{server}）。培训请使用「hecha demo」或培训专用的数据目录。</source>
        <translation>The real work data on this PC cannot be synced to a training server ({server}). For training use &quot;hecha demo&quot; or a separate training data directory.</translation>
    </message>
    <message>
        <source>{finding}（如确认无误，请填写原因）</source>
        <translation>{finding} (if correct, give a reason)</translation>
    </message>
    <message>
        <source>新密码不符合要求：{detail}</source>
        <translation>The new password does not meet the requirements: {detail}</translation>
    </message>
    <message>
        <source>（请求编号 {request_id}）</source>
        <translation> (request id {request_id})</translation>
    </message>
    <message>
        <source>数据未通过校验</source>
        <translation>The data did not pass the checks</translation>
    </message>
    <message>
        <source>未通过检查（{code}）</source>
        <translation>Did not pass the check ({code})</translation>
    </message>
</context>
<context>
    <name>rules</name>
    <message>
        <source>个人编码</source>
        <translation>Person code</translation>
    </message>
    <message>
        <source>户编码</source>
        <translation>Household code</translation>
    </message>
    <message>
        <source>与户主关系</source>
        <translation type="unfinished">Relation to householder</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>曾用名</source>
        <translation type="unfinished">Former name</translation>
    </message>
    <message>
        <source>性别</source>
        <translation type="unfinished">Sex</translation>
    </message>
    <message>
        <source>出生日期</source>
        <translation type="unfinished">Date of birth</translation>
    </message>
    <message>
        <source>民族</source>
        <translation type="unfinished">Ethnicity</translation>
    </message>
    <message>
        <source>证件类型</source>
        <translation type="unfinished">Document type</translation>
    </message>
    <message>
        <source>公民身份号码</source>
        <translation>Citizen ID number</translation>
    </message>
    <message>
        <source>无身份号码原因</source>
        <translation>Reason for no ID number</translation>
    </message>
    <message>
        <source>国籍</source>
        <translation type="unfinished">Nationality</translation>
    </message>
    <message>
        <source>户口性质</source>
        <translation type="unfinished">Hukou type</translation>
    </message>
    <message>
        <source>户籍地</source>
        <translation type="unfinished">Hukou place</translation>
    </message>
    <message>
        <source>户籍地址</source>
        <translation>Hukou address</translation>
    </message>
    <message>
        <source>现居住地</source>
        <translation type="unfinished">Residence</translation>
    </message>
    <message>
        <source>现居住地址</source>
        <translation>Residence address</translation>
    </message>
    <message>
        <source>管理地</source>
        <translation type="unfinished">Managing place</translation>
    </message>
    <message>
        <source>婚姻状况</source>
        <translation type="unfinished">Marital status</translation>
    </message>
    <message>
        <source>初婚日期</source>
        <translation type="unfinished">First marriage</translation>
    </message>
    <message>
        <source>婚姻状况变动日期</source>
        <translation>Date of marital change</translation>
    </message>
    <message>
        <source>文化程度</source>
        <translation type="unfinished">Education</translation>
    </message>
    <message>
        <source>文化程度代码表</source>
        <translation type="unfinished">Education code table</translation>
    </message>
    <message>
        <source>配偶姓名</source>
        <translation type="unfinished">Spouse name</translation>
    </message>
    <message>
        <source>配偶身份号码</source>
        <translation>Spouse&apos;s ID number</translation>
    </message>
    <message>
        <source>父亲姓名</source>
        <translation type="unfinished">Father name</translation>
    </message>
    <message>
        <source>父亲身份号码</source>
        <translation>Father&apos;s ID number</translation>
    </message>
    <message>
        <source>母亲姓名</source>
        <translation type="unfinished">Mother name</translation>
    </message>
    <message>
        <source>母亲身份号码</source>
        <translation>Mother&apos;s ID number</translation>
    </message>
    <message>
        <source>出生医学证明编号</source>
        <translation>Birth certificate number</translation>
    </message>
    <message>
        <source>死亡日期</source>
        <translation type="unfinished">Date of death</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>注销原因</source>
        <translation type="unfinished">Reason for closing</translation>
    </message>
    <message>
        <source>数据来源</source>
        <translation type="unfinished">Data source</translation>
    </message>
    <message>
        <source>登记单位</source>
        <translation type="unfinished">Registering unit</translation>
    </message>
    <message>
        <source>操作人</source>
        <translation type="unfinished">Operator</translation>
    </message>
    <message>
        <source>登记时间</source>
        <translation type="unfinished">Registered at</translation>
    </message>
    <message>
        <source>更新时间</source>
        <translation type="unfinished">Updated at</translation>
    </message>
    <message>
        <source>签发日期</source>
        <translation>Date of issue</translation>
    </message>
    <message>
        <source>签发机构</source>
        <translation>Issued by</translation>
    </message>
    <message>
        <source>出生时间</source>
        <translation type="unfinished">Born</translation>
    </message>
    <message>
        <source>出生地点</source>
        <translation type="unfinished">Birthplace</translation>
    </message>
    <message>
        <source>出生孕周</source>
        <translation>Gestation (weeks)</translation>
    </message>
    <message>
        <source>身长</source>
        <translation>Length</translation>
    </message>
    <message>
        <source>体重</source>
        <translation>Weight</translation>
    </message>
    <message>
        <source>接生机构</source>
        <translation>Delivering institution</translation>
    </message>
    <message>
        <source>母亲证件类型</source>
        <translation>Mother&apos;s document type</translation>
    </message>
    <message>
        <source>父亲证件类型</source>
        <translation>Father&apos;s document type</translation>
    </message>
    <message>
        <source>身份证号码（{id_number}）被表格软件显示成了科学计数法，后几位已丢失，请按原件重新录入</source>
        <translation>The ID number ({id_number}) was shown in scientific notation by a spreadsheet and its last digits are lost: type it again from the original</translation>
    </message>
    <message>
        <source>身份证号码（{id_number}）格式不对：应为18位（前17位数字，最后一位数字或X）</source>
        <translation>The ID number ({id_number}) has the wrong format: 18 characters (17 digits, then a digit or X)</translation>
    </message>
    <message>
        <source>身份证号码（{id_number}）校验位不对（按前17位应为{expected}），可能有数字录错或两位顺序颠倒</source>
        <translation>The check character of the ID number ({id_number}) is wrong (the first 17 digits give {expected}): a digit may be mistyped or two swapped</translation>
    </message>
    <message>
        <source>身份证号码（{id_number}）中的出生日期不存在，或早于1880年、晚于今天</source>
        <translation>The birth date in the ID number ({id_number}) does not exist, or is before 1880 or after today</translation>
    </message>
    <message>
        <source>身份证号码（{id_number}）前两位（{province}）不是已知的省级代码</source>
        <translation>The first two digits of the ID number ({id_number}) ({province}) are not a known province code</translation>
    </message>
    <message>
        <source>身份证号码前六位地址码（{region}）不在1980—2024年行政区划代码表中（发证时的地址码，一般不影响使用）</source>
        <translation>The region code of the ID number ({region}) is not in the 1980–2024 division tables (it is the region at issue; usually harmless)</translation>
    </message>
    <message>
        <source>身份证号码（{id_number}）是占位号码（全零、重复数字等），不是真实号码</source>
        <translation>The ID number ({id_number}) is a placeholder (all zeros, repeated digits…), not a real number</translation>
    </message>
    <message>
        <source>15位旧身份证号码已按规则转换为18位（{normalized}）</source>
        <translation>The old 15-digit ID number was converted to 18 digits ({normalized})</translation>
    </message>
    <message>
        <source>出生日期({birth_date})与身份证号中的出生日期({id_birth_date})不一致</source>
        <translation>The date of birth ({birth_date}) differs from the one in the ID number ({id_birth_date})</translation>
    </message>
    <message>
        <source>性别（{sex_name}）与身份证号第17位表示的性别（{id_sex_name}）不一致</source>
        <translation>The sex ({sex_name}) differs from the sex the 17th digit of the ID number gives ({id_sex_name})</translation>
    </message>
    <message>
        <source>缺少{field_label}</source>
        <translation>{field_label} is missing</translation>
    </message>
    <message>
        <source>缺少与户主关系</source>
        <translation>The relation to the householder is missing</translation>
    </message>
    <message>
        <source>缺少姓名</source>
        <translation>The name is missing</translation>
    </message>
    <message>
        <source>缺少性别</source>
        <translation>The sex is missing</translation>
    </message>
    <message>
        <source>缺少出生日期</source>
        <translation>The date of birth is missing</translation>
    </message>
    <message>
        <source>缺少民族</source>
        <translation>The ethnicity is missing</translation>
    </message>
    <message>
        <source>缺少户口性质</source>
        <translation>The hukou type is missing</translation>
    </message>
    <message>
        <source>已满{min_age}周岁（{age}岁），必须填写婚姻状况</source>
        <translation>Aged {min_age} or over ({age}): the marital status is required</translation>
    </message>
    <message>
        <source>缺少公民身份号码；没有号码时须注明原因（如无证、待落户）</source>
        <translation>The citizen ID number is missing; without one, give the reason (no document, registration pending…)</translation>
    </message>
    <message>
        <source>婚姻状况为{marital_name}，必须填写初婚日期</source>
        <translation>The marital status is {marital_name}: the date of first marriage is required</translation>
    </message>
    <message>
        <source>已满{min_age}周岁（{age}岁）仍使用临时姓名“{name}”，请填写正式姓名</source>
        <translation>Aged {min_age} or over ({age}) with the temporary name &quot;{name}&quot;: enter the real name</translation>
    </message>
    <message>
        <source>缺少{field_label}代码</source>
        <translation>The {field_label} code is missing</translation>
    </message>
    <message>
        <source>{field_label}（{place}）只精确到{level_name}，应精确到{required_level_name}</source>
        <translation>{field_label} ({place}) is only precise to the {level_name}; it must be precise to the {required_level_name}</translation>
    </message>
    <message>
        <source>{field_label}代码“{value}”不在{table_title}中</source>
        <translation>The {field_label} code &quot;{value}&quot; is not in {table_title}</translation>
    </message>
    <message>
        <source>{field_label}代码“{place}”应为12位数字的统计用区划代码</source>
        <translation>The {field_label} code &quot;{place}&quot; must be a 12-digit statistical division code</translation>
    </message>
    <message>
        <source>{field_label}代码“{place}”不在现行区划代码表中</source>
        <translation>The {field_label} code &quot;{place}&quot; is not in the current division table</translation>
    </message>
    <message>
        <source>户籍地代码“{place}”不在现行区划代码表中，请核实</source>
        <translation>The hukou place code &quot;{place}&quot; is not in the current division table: please check</translation>
    </message>
    <message>
        <source>{field_label}“{name}”含有不允许的字符（{chars}）：只能使用汉字和间隔号“·”</source>
        <translation>{field_label} &quot;{name}&quot; contains characters that are not allowed ({chars}): only Chinese characters and the middle dot &quot;·&quot;</translation>
    </message>
    <message>
        <source>{field_label}“{name}”含有不允许的字符（{chars}）</source>
        <translation>{field_label} &quot;{name}&quot; contains characters that are not allowed ({chars})</translation>
    </message>
    <message>
        <source>{field_label}“{name}”只有{length}个字或超过{max_length}个字，请核实</source>
        <translation>{field_label} &quot;{name}&quot; has {length} character(s), or more than {max_length}: please check</translation>
    </message>
    <message>
        <source>{field_label}“{name}”含有繁体字（{chars}），请核实是否应为简体</source>
        <translation>{field_label} &quot;{name}&quot; contains traditional characters ({chars}): check whether they should be simplified</translation>
    </message>
    <message>
        <source>{field_label}“{name}”含有自造字（私用区字符），其他系统可能无法显示</source>
        <translation>{field_label} &quot;{name}&quot; contains self-made characters (private use area) that other systems may not show</translation>
    </message>
    <message>
        <source>{field_label}“{value}”不是有效日期（应为 年-月-日，如 1990-01-31）</source>
        <translation>{field_label} &quot;{value}&quot; is not a valid date (year-month-day, e.g. 1990-01-31)</translation>
    </message>
    <message>
        <source>{field_label}（{value}）晚于今天（{today}）</source>
        <translation>{field_label} ({value}) is after today ({today})</translation>
    </message>
    <message>
        <source>{earlier_label}（{earlier}）晚于{later_label}（{later}）</source>
        <translation>{earlier_label} ({earlier}) is after {later_label} ({later})</translation>
    </message>
    <message>
        <source>年龄{age}岁，超过{max_age}岁，请核实出生日期或是否已死亡</source>
        <translation>Aged {age}, over {max_age}: check the date of birth, or whether the person has died</translation>
    </message>
    <message>
        <source>年龄{age}岁，超过{max_age}岁，出生日期不可能正确</source>
        <translation>Aged {age}, over {max_age}: the date of birth cannot be right</translation>
    </message>
    <message>
        <source>{field_label}（{value}）晚于死亡日期（{death_date}）</source>
        <translation>{field_label} ({value}) is after the date of death ({death_date})</translation>
    </message>
    <message>
        <source>初婚年龄{age}岁，低于法定婚龄（{sex_name}{min_age}岁），请核实</source>
        <translation>First married at {age}, below the legal age ({sex_name} {min_age}): please check</translation>
    </message>
    <message>
        <source>年龄{age}岁（不满{min_age}岁），婚姻状况却为{marital_name}</source>
        <translation>Aged {age} (under {min_age}), yet the marital status is {marital_name}</translation>
    </message>
    <message>
        <source>初婚日期（{first_marriage_date}）时年仅{age}岁（不满{min_age}岁）</source>
        <translation>Only {age} at the date of first marriage ({first_marriage_date}) (under {min_age})</translation>
    </message>
    <message>
        <source>与户主关系为{relation_name}，婚姻状况却为{marital_name}</source>
        <translation>The relation to the householder is {relation_name}, yet the marital status is {marital_name}</translation>
    </message>
    <message>
        <source>与户主关系为{relation_name}，但与户主{head_name}性别相同（{sex_name}）</source>
        <translation>The relation to the householder is {relation_name}, but the sex is the same as the householder {head_name}&apos;s ({sex_name})</translation>
    </message>
    <message>
        <source>本户没有户主（与户主关系为“户主”或“本人”的成员）</source>
        <translation>The household has no householder (a member whose relation is &quot;householder&quot; or &quot;self&quot;)</translation>
    </message>
    <message>
        <source>本户有{count}名户主：{names}</source>
        <translation>The household has {count} householders: {names}</translation>
    </message>
    <message>
        <source>本户有{count}名户主的配偶：{names}</source>
        <translation>The household has {count} spouses of the householder: {names}</translation>
    </message>
    <message>
        <source>与户主关系“{relation_name}”要求性别为{implied_sex_name}，登记的性别却为{sex_name}</source>
        <translation>The relation &quot;{relation_name}&quot; implies the sex {implied_sex_name}, but the registered sex is {sex_name}</translation>
    </message>
    <message>
        <source>与户主关系为{relation_name}，但与户主{head_name}仅相差{gap}岁（应至少{min_gap}岁）</source>
        <translation>The relation to the householder is {relation_name}, but the age difference to the householder {head_name} is only {gap} years (at least {min_gap})</translation>
    </message>
    <message>
        <source>户主{name}已死亡（{death_date}），本户仍有在世成员，请变更户主</source>
        <translation>The householder {name} has died ({death_date}) and the household still has living members: change the householder</translation>
    </message>
    <message>
        <source>生育时母亲{mother_name}年龄为{age}岁，不在{min_age}—{max_age}岁之间，请核实</source>
        <translation>The mother {mother_name} was {age} at the birth, not between {min_age} and {max_age}: please check</translation>
    </message>
    <message>
        <source>生育时母亲{mother_name}年龄为{age}岁（不满{min_age}岁或超过{max_age}岁），不可能正确</source>
        <translation>The mother {mother_name} was {age} at the birth (under {min_age} or over {max_age}): this cannot be right</translation>
    </message>
    <message>
        <source>生育时父亲{father_name}年龄为{age}岁，不在{min_age}—{max_age}岁之间，请核实</source>
        <translation>The father {father_name} was {age} at the birth, not between {min_age} and {max_age}: please check</translation>
    </message>
    <message>
        <source>{role_name}{parent_name}的性别登记为{sex_name}</source>
        <translation>{role_name} {parent_name} is registered with the sex {sex_name}</translation>
    </message>
    <message>
        <source>母亲{mother_name}的另一子女{other_name}出生于{other_birth_date}，两次生育仅相隔{days}天（少于{min_days}天）</source>
        <translation>The mother {mother_name}&apos;s other child {other_name} was born on {other_birth_date}: only {days} days between the births (less than {min_days})</translation>
    </message>
    <message>
        <source>{role_name}{parent_name}的死亡日期（{death_date}）早于本人出生（{birth_date}）</source>
        <translation>The date of death of {role_name} {parent_name} ({death_date}) is before this person&apos;s birth ({birth_date})</translation>
    </message>
    <message>
        <source>出生医学证明编号“{cert_number}”格式不对：应为1个大写字母加9位数字</source>
        <translation>The birth certificate number &quot;{cert_number}&quot; has the wrong format: one capital letter and 9 digits</translation>
    </message>
    <message>
        <source>出生医学证明编号“{cert_number}”已被其他人使用</source>
        <translation>The birth certificate number &quot;{cert_number}&quot; is already used by someone else</translation>
    </message>
    <message>
        <source>出生医学证明签发日期（{issue_date}）应在出生日期（{birth_date}）与今天（{today}）之间</source>
        <translation>The certificate&apos;s date of issue ({issue_date}) must be between the date of birth ({birth_date}) and today ({today})</translation>
    </message>
    <message>
        <source>出生体重{weight_g}克，不在{min_g}—{max_g}克之间，请核实</source>
        <translation>Birth weight {weight_g} g, not between {min_g} and {max_g} g: please check</translation>
    </message>
    <message>
        <source>出生孕周{weeks}周，不在{min_weeks}—{max_weeks}周之间，请核实</source>
        <translation>Gestation {weeks} weeks, not between {min_weeks} and {max_weeks}: please check</translation>
    </message>
    <message>
        <source>母亲身份证号码（{id_number}）{problem}</source>
        <translation>The mother&apos;s ID number ({id_number}): {problem}</translation>
    </message>
    <message>
        <source>母亲{mother_name}已有一名同日出生、同性别的子女{other_name}（{other_birth_date}），可能重复登记；如是双（多）胞胎请确认</source>
        <translation>The mother {mother_name} already has a child of the same sex born the same day, {other_name} ({other_birth_date}): possibly registered twice; if they are twins, confirm it</translation>
    </message>
    <message>
        <source>{field_label}（{value}）与出生医学证明上的（{cert_value}）不一致</source>
        <translation>{field_label} ({value}) differs from the birth certificate ({cert_value})</translation>
    </message>
    <message>
        <source>规则{rule}检查时出错（{error}），请人工核实</source>
        <translation>The rule {rule} failed ({error}): please check by hand</translation>
    </message>
    <message>
        <source>身份证号码相同（{id_number}）</source>
        <translation>Same ID number ({id_number})</translation>
    </message>
    <message>
        <source>身份证号码只差一位或两位相邻数字顺序颠倒（{id_a} / {id_b}），且姓名、出生日期相同</source>
        <translation>The ID numbers differ in one digit or two swapped neighbours ({id_a} / {id_b}), with the same name and date of birth</translation>
    </message>
    <message>
        <source>姓名（{name}）、出生日期（{birth_date}）、性别和母亲（{mother}）都相同</source>
        <translation>Same name ({name}), date of birth ({birth_date}), sex and mother ({mother})</translation>
    </message>
    <message>
        <source>姓名（{name}）、出生日期（{birth_date}）和户籍村（居）相同，其中一条没有身份证号码</source>
        <translation>Same name ({name}), date of birth ({birth_date}) and hukou village; one record has no ID number</translation>
    </message>
    <message>
        <source>姓名{kind_name}（{name_a} / {name_b}），出生日期（{birth_date}）相同，且{link}相同</source>
        <translation>Names {kind_name} ({name_a} / {name_b}), same date of birth ({birth_date}) and same {link}</translation>
    </message>
    <message>
        <source>同一母亲（{mother}）同日（{birth_date}）出生，但{differs}不同：可能是双（多）胞胎，不是重复</source>
        <translation>Same mother ({mother}) and day of birth ({birth_date}), but different {differs}: probably twins, not duplicates</translation>
    </message>
    <message>
        <source>身份证号码相同（{id_number}），但{differs}不同：可能是重号或录入错误，不能合并</source>
        <translation>Same ID number ({id_number}) but different {differs}: a shared number or a typing error; cannot be merged</translation>
    </message>
    <message>
        <source>成员有不同的有效身份证号码（{ids}），不能自动合并</source>
        <translation>The records have different valid ID numbers ({ids}): they cannot be merged</translation>
    </message>
    <message>
        <source>成员疑似双（多）胞胎（同一母亲、同日出生，{differs}不同），不能合并</source>
        <translation>The records look like twins (same mother and day of birth, different {differs}): they cannot be merged</translation>
    </message>
    <message>
        <source>身份证号码相同但{differs}不同，疑似重号，不能合并</source>
        <translation>Same ID number but different {differs}: probably a shared number; cannot be merged</translation>
    </message>
    <message>
        <source>至少需要两条记录才能合并</source>
        <translation>At least two records are needed to merge</translation>
    </message>
    <message>
        <source>未知</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source>男</source>
        <translation type="unfinished">M</translation>
    </message>
    <message>
        <source>女</source>
        <translation type="unfinished">F</translation>
    </message>
    <message>
        <source>女改男</source>
        <translation>female to male</translation>
    </message>
    <message>
        <source>男改女</source>
        <translation>male to female</translation>
    </message>
    <message>
        <source>未说明</source>
        <translation>not stated</translation>
    </message>
    <message>
        <source>出生医学证明编号为1个大写字母加9位数字</source>
        <translation>The birth certificate number is one capital letter and 9 digits</translation>
    </message>
    <message>
        <source>出生医学证明编号未被他人使用</source>
        <translation>The birth certificate number is not used by anyone else</translation>
    </message>
    <message>
        <source>出生日期 ≤ 签发日期 ≤ 今天</source>
        <translation>Date of birth ≤ date of issue ≤ today</translation>
    </message>
    <message>
        <source>出生体重在300—7000克之间</source>
        <translation>Birth weight between 300 and 7000 g</translation>
    </message>
    <message>
        <source>出生孕周在20—45周之间</source>
        <translation>Gestation between 20 and 45 weeks</translation>
    </message>
    <message>
        <source>母亲身份证号码有效且为女性</source>
        <translation>The mother&apos;s ID number is valid and female</translation>
    </message>
    <message>
        <source>母亲已有同日出生、同性别的子女时可能重复（确认双胞胎后除外）</source>
        <translation>A child of the same mother, sex and day of birth may be a duplicate (unless confirmed as twins)</translation>
    </message>
    <message>
        <source>出生日期、性别与出生医学证明一致</source>
        <translation>Date of birth and sex agree with the birth certificate</translation>
    </message>
    <message>
        <source>省级</source>
        <translation>province level</translation>
    </message>
    <message>
        <source>地级</source>
        <translation>prefecture level</translation>
    </message>
    <message>
        <source>县级</source>
        <translation>county level</translation>
    </message>
    <message>
        <source>乡级（乡镇街道）</source>
        <translation>township level</translation>
    </message>
    <message>
        <source>村级（村居委会）</source>
        <translation>village level</translation>
    </message>
    <message>
        <source>与户主关系隐含的性别与登记性别一致</source>
        <translation>The sex implied by the relation to the householder agrees with the registered sex</translation>
    </message>
    <message>
        <source>辈分年龄差：子女比户主至少小12岁，孙辈至少小24岁</source>
        <translation>Generation gap: children at least 12 years younger than the householder, grandchildren at least 24</translation>
    </message>
    <message>
        <source>每户恰有一名户主</source>
        <translation>Each household has exactly one householder</translation>
    </message>
    <message>
        <source>每户只能有一名户主</source>
        <translation>A household has only one householder</translation>
    </message>
    <message>
        <source>户主至多有一名配偶</source>
        <translation>The householder has at most one spouse</translation>
    </message>
    <message>
        <source>已死亡的人不能是在册户的户主</source>
        <translation>A deceased person cannot head a registered household</translation>
    </message>
    <message>
        <source>生育时母亲年龄在15—49岁之间</source>
        <translation>The mother is between 15 and 49 at the birth</translation>
    </message>
    <message>
        <source>生育时母亲不小于12岁、不大于60岁</source>
        <translation>The mother is between 12 and 60 at the birth</translation>
    </message>
    <message>
        <source>生育时父亲年龄在16—70岁之间</source>
        <translation>The father is between 16 and 70 at the birth</translation>
    </message>
    <message>
        <source>母亲为女性，父亲为男性</source>
        <translation>The mother is female, the father male</translation>
    </message>
    <message>
        <source>母亲在出生前未死亡，父亲死亡不早于出生前300天</source>
        <translation>The mother did not die before the birth; the father died at most 300 days before it</translation>
    </message>
    <message>
        <source>同一母亲两次生育间隔不少于180天（同日出生除外）</source>
        <translation>At least 180 days between two births of the same mother (except the same day)</translation>
    </message>
    <message>
        <source>姓名只含汉字和间隔号“·”（外籍人员可含字母）</source>
        <translation>Names contain only Chinese characters and the middle dot &quot;·&quot; (foreigners: also letters)</translation>
    </message>
    <message>
        <source>姓名为1个字或超过6个字时请核实</source>
        <translation>Check names of one character or more than six</translation>
    </message>
    <message>
        <source>姓名中的繁体字</source>
        <translation>Traditional characters in names</translation>
    </message>
    <message>
        <source>姓名中的自造字（私用区字符）</source>
        <translation>Self-made characters in names (private use area)</translation>
    </message>
    <message>
        <source>日期为有效的 年-月-日</source>
        <translation>Dates are valid year-month-day</translation>
    </message>
    <message>
        <source>日期不晚于今天</source>
        <translation>Dates are not after today</translation>
    </message>
    <message>
        <source>出生 ≤ 初婚 ≤ 婚姻变动；出生 ≤ 死亡</source>
        <translation>Birth ≤ first marriage ≤ marital change; birth ≤ death</translation>
    </message>
    <message>
        <source>年龄超过110岁时请核实</source>
        <translation>Check ages over 110</translation>
    </message>
    <message>
        <source>年龄不超过125岁</source>
        <translation>Ages are not over 125</translation>
    </message>
    <message>
        <source>死亡之后没有其他事件（结婚、婚姻变动）</source>
        <translation>No events after death (marriage, marital change)</translation>
    </message>
    <message>
        <source>初婚年龄低于法定婚龄（女20岁、男22岁）时请核实</source>
        <translation>Check first marriages below the legal age (women 20, men 22)</translation>
    </message>
    <message>
        <source>不满15周岁不能为已婚</source>
        <translation>Under 15 cannot be married</translation>
    </message>
    <message>
        <source>初婚时不满15周岁</source>
        <translation>Under 15 at the first marriage</translation>
    </message>
    <message>
        <source>户主的配偶婚姻状况应为已婚</source>
        <translation>The householder&apos;s spouse is married</translation>
    </message>
    <message>
        <source>户主的配偶与户主性别不同</source>
        <translation>The householder&apos;s spouse is of the other sex</translation>
    </message>
    <message>
        <source>身份证号码被显示成科学计数法（已损坏）</source>
        <translation>ID number shown in scientific notation (damaged)</translation>
    </message>
    <message>
        <source>身份证号码格式（18位，最后一位可为X；15位旧号可转换）</source>
        <translation>ID number format (18 characters, the last may be X; old 15-digit numbers are converted)</translation>
    </message>
    <message>
        <source>身份证号码校验位</source>
        <translation>ID number check character</translation>
    </message>
    <message>
        <source>身份证号码中的出生日期真实存在且在1880年至今天之间</source>
        <translation>The birth date in the ID number exists and is between 1880 and today</translation>
    </message>
    <message>
        <source>身份证号码前两位为已知省级代码（含81/82/83居住证）</source>
        <translation>The first two digits of the ID number are a known province code (incl. 81/82/83 residence permits)</translation>
    </message>
    <message>
        <source>身份证号码地址码在1980—2024年区划代码表中</source>
        <translation>The region code of the ID number is in the 1980–2024 division tables</translation>
    </message>
    <message>
        <source>身份证号码不是占位号码（全零、重复数字等）</source>
        <translation>The ID number is not a placeholder (all zeros, repeated digits…)</translation>
    </message>
    <message>
        <source>15位旧身份证号码转换为18位</source>
        <translation>Old 15-digit ID numbers converted to 18 digits</translation>
    </message>
    <message>
        <source>出生日期与身份证号码中的出生日期一致</source>
        <translation>The date of birth agrees with the ID number</translation>
    </message>
    <message>
        <source>性别与身份证号码第17位的奇偶一致</source>
        <translation>The sex agrees with the parity of the ID number&apos;s 17th digit</translation>
    </message>
    <message>
        <source>必填：与户主关系</source>
        <translation>Required: relation to the householder</translation>
    </message>
    <message>
        <source>必填：姓名（出生登记时可暂缺）</source>
        <translation>Required: name (may be left empty when registering a birth)</translation>
    </message>
    <message>
        <source>必填：性别</source>
        <translation>Required: sex</translation>
    </message>
    <message>
        <source>必填：出生日期</source>
        <translation>Required: date of birth</translation>
    </message>
    <message>
        <source>必填：民族</source>
        <translation>Required: ethnicity</translation>
    </message>
    <message>
        <source>必填：户口性质</source>
        <translation>Required: hukou type</translation>
    </message>
    <message>
        <source>必填：公民身份号码，或注明无号码的原因（无证、待落户）</source>
        <translation>Required: the citizen ID number, or why there is none (no document, registration pending)</translation>
    </message>
    <message>
        <source>满15周岁须填写婚姻状况</source>
        <translation>Marital status required from age 15</translation>
    </message>
    <message>
        <source>满15周岁且非未婚须填写初婚日期</source>
        <translation>Date of first marriage required from age 15 unless never married</translation>
    </message>
    <message>
        <source>满7周岁不能使用临时姓名（未取名、男婴、X之子…）</source>
        <translation>No temporary names (未取名, 男婴, X之子…) from age 7</translation>
    </message>
    <message>
        <source>必填：户籍地、现居住地代码</source>
        <translation>Required: hukou place and residence place codes</translation>
    </message>
    <message>
        <source>地点代码精确到规定级别（默认村级）</source>
        <translation>Place codes precise to the required level (village by default)</translation>
    </message>
    <message>
        <source>代码字段的值在对应国家标准代码表中</source>
        <translation>Coded fields hold values of their national standard code tables</translation>
    </message>
    <message>
        <source>地点代码为12位统计用区划代码</source>
        <translation>Place codes are 12-digit statistical division codes</translation>
    </message>
    <message>
        <source>现居住地和管理地在现行区划代码表中</source>
        <translation>Residence and managing place are in the current division table</translation>
    </message>
    <message>
        <source>户籍地在现行区划代码表中</source>
        <translation>The hukou place is in the current division table</translation>
    </message>
</context>
</TS>
