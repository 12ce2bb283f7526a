<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>app</name>
    <message>
        <source>核查工作台</source>
        <translation>Hecha Workbench</translation>
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
        <source>服务器长时间没有响应：网络可能很慢或不稳定。您的修改已保存在本机，稍后会自动重试。</source>
        <translation>The server did not answer in time: the network may be slow or unstable. Your changes are saved on this computer; the upload will be retried.</translation>
    </message>
    <message>
        <source>服务器证书校验失败：连接可能不安全，已停止同步。请联系县里的管理员确认服务器地址和证书文件（CA）设置。</source>
        <translation>The server's certificate could not be verified: the connection may not be safe, so sync stopped. Ask the county administrator to check the server address and the CA file.</translation>
    </message>
    <message>
        <source>服务器暂时出现故障（{status}）。您的修改已保存在本机，稍后会自动重试；如果持续出现，请联系管理员。</source>
        <translation>The server has a temporary problem ({status}). Your changes are saved on this computer and will be retried; if this continues, contact the administrator.</translation>
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
        <source>用户名或密码不正确，请重新输入。</source>
        <translation>Wrong username or password. Please try again.</translation>
    </message>
    <message>
        <source>密码不正确，无法打开本机数据。请输入您上次在本机登录时使用的密码。</source>
        <translation>Wrong password: the local data cannot be opened. Enter the password you used the last time you logged in on this computer.</translation>
    </message>
    <message>
        <source>本机没有该账号的数据，无法离线登录。请连接VPN后在线登录一次。</source>
        <translation>There is no data for this account on this computer, so offline login is not possible. Connect the VPN and log in online once.</translation>
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
        <translation>The server's answer was incomplete or damaged; this sync changed nothing. It will be retried automatically.</translation>
    </message>
    <message>
        <source>同步已取消。已完成的部分已保存。</source>
        <translation>Sync cancelled. What was already done is saved.</translation>
    </message>
    <message>
        <source>程序出现了意外错误。您已保存的工作不受影响。如果问题反复出现，请把日志文件发给管理员：{log_file}</source>
        <translation>An unexpected error occurred. Your saved work is not affected. If this keeps happening, send the log file to the administrator: {log_file}</translation>
    </message>
    <message>
        <source>他人在您离线时修改了这条记录，请选择保留哪一方的值。</source>
        <translation>Someone else changed this record while you were offline; choose which values to keep.</translation>
    </message>
    <message>
        <source>服务器检查未通过，请按提示改正后重新保存。</source>
        <translation>The server's checks failed; correct the fields as shown and save again.</translation>
    </message>
    <message>
        <source>这条任务已被收回或转给他人，您的修改可以导出保存。</source>
        <translation>This case was withdrawn or reassigned; you can export your changes.</translation>
    </message>
    <message>
        <source>这条记录不在您的管辖范围内。</source>
        <translation>This record is outside your jurisdiction.</translation>
    </message>
    <message>
        <source>等待前一条修改处理完毕。</source>
        <translation>Waiting for the previous change to be processed.</translation>
    </message>
</context>
</TS>